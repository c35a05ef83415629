from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from qifu.notifications import schedules

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("ensure_schedules", *args, stdout=out)
    return out.getvalue()


def test_ensure_schedules_registers_outbox_and_reminder_jobs():
    _run()

    outbox = Schedule.objects.get(name="notifications.deliver_outbox")
    assert (outbox.func, outbox.schedule_type, outbox.minutes, outbox.repeats) == (
        "qifu.notifications.tasks.deliver_outbox",
        Schedule.MINUTES,
        1,
        -1,
    )
    reminders = Schedule.objects.get(name="notifications.send_due_reminders")
    assert (reminders.func, reminders.minutes) == ("qifu.notifications.tasks.send_due_reminders", 5)


def test_ensure_schedules_twice_changes_nothing():
    _run()
    ids = sorted(Schedule.objects.values_list("id", flat=True))

    output = _run()

    assert sorted(Schedule.objects.values_list("id", flat=True)) == ids
    assert "新建" not in output
    assert "无变化" in output


def test_ensure_schedules_repairs_an_edited_schedule_and_drops_duplicates():
    _run()
    Schedule.objects.filter(name="notifications.deliver_outbox").update(minutes=30)
    Schedule.objects.create(name="notifications.deliver_outbox", func="x.y", minutes=9)

    assert "更新  notifications.deliver_outbox" in _run()

    [outbox] = Schedule.objects.filter(name="notifications.deliver_outbox")
    assert (outbox.func, outbox.minutes) == ("qifu.notifications.tasks.deliver_outbox", 1)


def test_dry_run_writes_nothing():
    output = _run("--dry-run")

    assert "新建  notifications.deliver_outbox" in output
    assert not Schedule.objects.exists()


def test_another_app_can_register_its_own_schedule(monkeypatch):
    monkeypatch.setattr(schedules, "_registry", dict(schedules._registry))
    schedules.register_schedule("appeals.mark_overdue", "qifu.appeals.tasks.mark_overdue", 15)

    _run()

    assert Schedule.objects.get(name="appeals.mark_overdue").minutes == 15


def test_a_schedule_more_often_than_every_minute_is_refused():
    with pytest.raises(ValueError):
        schedules.register_schedule("too.often", "x.y", 0)
