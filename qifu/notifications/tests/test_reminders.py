from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from qifu.notifications.models import Notification, OutboxMessage, Reminder
from qifu.notifications.services import reminder_cancel, reminder_schedule, reminders_send_due
from qifu.notifications.tasks import send_due_reminders
from qifu.notifications.tests.conftest import local

pytestmark = pytest.mark.django_db

DUE = local(2026, 11, 30, 17, 0)


def _schedule(user, *, remind_at=None, key="appeal:1:respond_due"):
    return reminder_schedule(
        user=user,
        code="deadline_reminder",
        context={"subject": "诉求 QF-0001 应答", "due_at": DUE},
        remind_at=remind_at or DUE - timedelta(days=1),
        key=key,
        url="/appeals/1/",
    )


def test_scheduling_the_same_reminder_twice_creates_one(office_hours, reader):
    first = _schedule(reader)
    second = _schedule(reader)

    assert first.pk == second.pk
    assert Reminder.objects.count() == 1


def test_rescheduling_an_unsent_reminder_moves_it(office_hours, reader):
    _schedule(reader)
    _schedule(reader, remind_at=DUE - timedelta(hours=2))

    assert Reminder.objects.get().remind_at == DUE - timedelta(hours=2)


def test_a_reminder_that_fired_is_not_scheduled_again(time_machine, office_hours, reader):
    _schedule(reader)
    time_machine.move_to(DUE - timedelta(days=1), tick=False)
    assert reminders_send_due() == 1

    _schedule(reader, remind_at=DUE + timedelta(days=3))

    reminder = Reminder.objects.get()
    assert reminder.remind_at == DUE - timedelta(days=1)
    assert reminder.sent_at is not None
    time_machine.move_to(DUE + timedelta(days=3), tick=False)
    assert reminders_send_due() == 0


def test_a_due_reminder_fires_once_with_its_context(
    time_machine, office_hours, reader, django_capture_on_commit_callbacks
):
    _schedule(reader)

    assert send_due_reminders() == 0
    assert not Notification.objects.exists()

    time_machine.move_to(DUE - timedelta(days=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0

    item = Notification.objects.get(user=reader)
    assert item.kind == "deadline_reminder"
    assert item.url == "/appeals/1/"
    # The due time went through JSON and still reads as Rongcheng local time.
    assert "2026年11月30日 17:00" in item.body
    assert OutboxMessage.objects.filter(user=reader).count() == 2
    assert Reminder.objects.get().sent_at == timezone.now()


def test_a_reminder_whose_template_is_missing_stays_unsent_and_does_not_block_others(
    time_machine, office_hours, reader
):
    Reminder.objects.create(
        user=reader, key="broken", code="no_such_template", remind_at=office_hours
    )
    _schedule(reader, remind_at=office_hours, key="good")

    assert reminders_send_due() == 1

    assert Reminder.objects.get(key="broken").sent_at is None
    assert Reminder.objects.get(key="good").sent_at is not None
    assert Notification.objects.count() == 1


def test_a_naive_reminder_time_is_refused(reader):
    with pytest.raises(ValueError, match="aware"):
        _schedule(reader, remind_at=DUE.replace(tzinfo=None))


def test_cancelling_drops_an_unsent_reminder(office_hours, reader):
    _schedule(reader)

    assert reminder_cancel(key="appeal:1:respond_due") is True
    assert reminder_cancel(key="appeal:1:respond_due") is False
    assert not Reminder.objects.exists()
