from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from qifu.notifications.models import Channel, Notification, OutboxMessage, OutboxStatus
from qifu.notifications.services import notify
from qifu.notifications.sms import MemoryBackend
from qifu.notifications.tests.conftest import local

pytestmark = pytest.mark.django_db


def _generic(users, **kw):
    return notify(
        users=users,
        code="generic",
        context={"title": "诉求已派发", "body": "您的诉求已派发至工信局。"},
        url="/appeals/1/",
        **kw,
    )


def test_notify_rows_roll_back_with_the_business_change(office_hours, reader):
    with pytest.raises(RuntimeError), transaction.atomic():
        _generic([reader])
        raise RuntimeError("the business change failed")

    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert MemoryBackend.outbox == []
    assert mail.outbox == []


def test_notify_writes_rows_at_once_but_delivers_only_after_commit(
    office_hours, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _generic([reader])

    assert Notification.objects.filter(user=reader).count() == 1
    assert set(OutboxMessage.objects.values_list("channel", flat=True)) == {"sms", "email"}
    assert MemoryBackend.outbox == []
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    assert [m.phone for m in MemoryBackend.outbox] == [reader.phone]
    assert MemoryBackend.outbox[0].text == "诉求已派发：您的诉求已派发至工信局。"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["qiye@example.com"]
    assert mail.outbox[0].subject == "诉求已派发"
    assert "http://127.0.0.1:8000/appeals/1/" in mail.outbox[0].body
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_inbox_item_takes_title_and_body_from_the_template(office_hours, reader):
    [item] = _generic([reader], channels=["inbox"])

    item.refresh_from_db()
    assert (item.title, item.body, item.url, item.kind) == (
        "诉求已派发",
        "您的诉求已派发至工信局。",
        "/appeals/1/",
        "generic",
    )
    assert item.read_at is None
    assert not OutboxMessage.objects.exists()


def test_sms_goes_only_to_users_with_a_phone_and_email_only_to_users_with_an_address(
    office_hours, reader, platform_staff, django_capture_on_commit_callbacks
):
    assert not platform_staff.phone and not platform_staff.email
    with django_capture_on_commit_callbacks(execute=True):
        _generic([reader, platform_staff])

    assert Notification.objects.filter(user=platform_staff).count() == 1
    assert not OutboxMessage.objects.filter(user=platform_staff).exists()
    assert OutboxMessage.objects.filter(user=reader).count() == 2


def test_deadline_reminder_shows_the_due_time_in_local_time(
    office_hours, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        [item] = notify(
            users=[reader],
            code="deadline_reminder",
            context={"subject": "诉求 QF-0001 应答", "due_at": local(2026, 11, 30, 17, 0)},
        )

    assert item.title == "期限提醒：诉求 QF-0001 应答"
    assert "2026年11月30日 17:00" in item.body
    assert "11月30日 17:00" in MemoryBackend.outbox[0].text
    assert mail.outbox[0].subject == "期限提醒：诉求 QF-0001 应答"


def test_template_text_is_not_html_escaped(office_hours, reader):
    [item] = notify(
        users=[reader],
        code="generic",
        context={"title": "R&D <费用> 加计扣除", "body": "A & B"},
        channels=["inbox"],
    )
    assert item.title == "R&D <费用> 加计扣除"


def test_inactive_users_are_not_notified(office_hours, reader):
    reader.is_active = False
    reader.save(update_fields=["is_active"])

    assert _generic([reader]) == []
    assert not OutboxMessage.objects.exists()


def test_an_unknown_channel_is_refused(reader):
    with pytest.raises(ValueError, match="wechat"):
        _generic([reader], channels=["inbox", "wechat"])
    assert not Notification.objects.exists()


def test_outbox_rows_record_channel_recipient_and_kind(office_hours, reader):
    _generic([reader], channels=["sms"])

    row = OutboxMessage.objects.get()
    assert (row.channel, row.recipient, row.kind) == (Channel.SMS, reader.phone, "generic")
    assert row.masked_recipient == "139****0001"
    assert not Notification.objects.exists()
