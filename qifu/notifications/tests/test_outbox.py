from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from qifu.core.models import AuditEvent
from qifu.notifications.models import OutboxMessage, OutboxStatus
from qifu.notifications.services import (
    MAX_ATTEMPTS,
    notify,
    outbox_claim,
    outbox_deliver_due,
    outbox_retry,
    outbox_send,
    sms_send_now,
)
from qifu.notifications.sms import MemoryBackend
from qifu.notifications.tests.conftest import local

pytestmark = pytest.mark.django_db


def _queue_sms(user):
    notify(
        users=[user], code="generic", context={"title": "标题", "body": "内容"}, channels=["sms"]
    )
    return OutboxMessage.objects.get()


@pytest.fixture
def broken_sms(monkeypatch):
    def fail(self, message):
        raise ConnectionError("短信网关无响应")

    monkeypatch.setattr(MemoryBackend, "send", fail)


def test_delivery_sends_due_messages_once(office_hours, reader):
    message = _queue_sms(reader)

    assert outbox_deliver_due() == 1
    assert outbox_deliver_due() == 0

    assert len(MemoryBackend.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert message.sent_at == office_hours


def test_a_failed_send_is_retried_with_growing_backoff(
    time_machine, office_hours, reader, broken_sms
):
    message = _queue_sms(reader)

    outbox_deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at == office_hours + timedelta(minutes=1)
    assert "短信网关无响应" in message.last_error

    # Not due yet: nothing is tried before the backoff has passed.
    time_machine.move_to(office_hours + timedelta(seconds=30), tick=False)
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.attempts == 1

    time_machine.move_to(office_hours + timedelta(minutes=1), tick=False)
    outbox_deliver_due()
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == office_hours + timedelta(minutes=1 + 4)


def test_a_message_fails_for_good_after_five_attempts(
    time_machine, office_hours, reader, broken_sms
):
    message = _queue_sms(reader)

    moment = office_hours
    for _ in range(MAX_ATTEMPTS):
        outbox_deliver_due()
        message.refresh_from_db()
        moment = message.next_attempt_at
        time_machine.move_to(moment, tick=False)

    assert message.status == OutboxStatus.FAILED
    assert message.attempts == MAX_ATTEMPTS
    assert message.sent_at is None

    time_machine.move_to(moment + timedelta(days=1), tick=False)
    assert outbox_deliver_due() == 0
    message.refresh_from_db()
    assert message.attempts == MAX_ATTEMPTS


def test_a_retry_that_falls_due_in_the_evening_waits_for_the_morning(
    time_machine, reader, broken_sms
):
    time_machine.move_to(local(2026, 11, 26, 19, 59), tick=False)
    message = _queue_sms(reader)

    outbox_deliver_due()
    message.refresh_from_db()
    assert message.next_attempt_at == local(2026, 11, 27, 8, 0)


def test_two_workers_claiming_the_same_message_send_it_once(office_hours, reader):
    message = _queue_sms(reader)

    first = outbox_claim(message_id=message.pk)
    second = outbox_claim(message_id=message.pk)

    assert first is not None
    assert second is None
    assert outbox_send(message=first)
    assert len(MemoryBackend.outbox) == 1
    assert outbox_deliver_due() == 0
    assert len(MemoryBackend.outbox) == 1


def test_a_message_left_sending_by_a_dead_worker_is_sent_after_ten_minutes(
    time_machine, office_hours, reader
):
    message = _queue_sms(reader)
    assert outbox_claim(message_id=message.pk) is not None  # and then the worker died

    time_machine.move_to(office_hours + timedelta(minutes=9), tick=False)
    assert outbox_deliver_due() == 0

    time_machine.move_to(office_hours + timedelta(minutes=11), tick=False)
    assert outbox_deliver_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert len(MemoryBackend.outbox) == 1


def test_a_message_left_sending_on_its_last_attempt_is_marked_failed(
    time_machine, office_hours, reader
):
    message = _queue_sms(reader)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=MAX_ATTEMPTS - 1)
    assert outbox_claim(message_id=message.pk) is not None

    time_machine.move_to(office_hours + timedelta(minutes=11), tick=False)
    assert outbox_deliver_due() == 0

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert MemoryBackend.outbox == []


def test_sms_created_at_night_waits_until_eight_in_the_morning(time_machine, reader):
    time_machine.move_to(local(2026, 11, 26, 21, 30), tick=False)
    message = _queue_sms(reader)
    assert message.next_attempt_at == local(2026, 11, 27, 8, 0)

    assert outbox_deliver_due() == 0
    time_machine.move_to(local(2026, 11, 27, 7, 59), tick=False)
    assert outbox_deliver_due() == 0
    assert MemoryBackend.outbox == []

    time_machine.move_to(local(2026, 11, 27, 8, 0), tick=False)
    assert outbox_deliver_due() == 1
    assert len(MemoryBackend.outbox) == 1


def test_sms_created_before_eight_waits_until_eight_the_same_day(time_machine, reader):
    time_machine.move_to(local(2026, 11, 27, 6, 15), tick=False)
    assert _queue_sms(reader).next_attempt_at == local(2026, 11, 27, 8, 0)


def test_sms_created_at_eight_in_the_evening_already_waits(time_machine, reader):
    time_machine.move_to(local(2026, 11, 27, 20, 0), tick=False)
    assert _queue_sms(reader).next_attempt_at == local(2026, 11, 28, 8, 0)


def test_email_is_sent_at_night(time_machine, reader, django_capture_on_commit_callbacks):
    time_machine.move_to(local(2026, 11, 26, 23, 0), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[reader], code="generic", context={"title": "夜间", "body": "邮件"})

    assert len(mail.outbox) == 1
    assert MemoryBackend.outbox == []
    assert OutboxMessage.objects.get(channel="sms").status == OutboxStatus.PENDING


def test_retry_requeues_failed_messages_with_fresh_attempts_and_is_audited(
    office_hours, reader, superuser, django_capture_on_commit_callbacks
):
    message = _queue_sms(reader)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.FAILED, attempts=MAX_ATTEMPTS, last_error="x"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(messages=OutboxMessage.objects.all(), actor=superuser) == 1

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert len(MemoryBackend.outbox) == 1
    event = AuditEvent.objects.get(action="notifications.outbox.retry")
    assert event.actor == superuser
    assert event.data == {"ids": [message.pk]}


def test_retry_leaves_sent_messages_alone(office_hours, reader, superuser):
    message = _queue_sms(reader)
    outbox_deliver_due()

    assert outbox_retry(messages=OutboxMessage.objects.all(), actor=superuser) == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert not AuditEvent.objects.filter(action="notifications.outbox.retry").exists()


def test_admin_retry_action_requeues_a_failed_message(office_hours, reader, superuser, client_for):
    message = _queue_sms(reader)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, attempts=5)

    response = client_for(superuser).post(
        "/admin/notifications/outboxmessage/",
        {"action": "retry", "_selected_action": [message.pk]},
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)


def test_admin_shows_the_outbox_with_masked_recipients(office_hours, reader, superuser, client_for):
    _queue_sms(reader)

    response = client_for(superuser).get("/admin/notifications/outboxmessage/?status=pending")

    assert response.status_code == 200
    assert "139****0001" in response.content.decode()
    assert reader.phone not in response.content.decode()


def test_verification_codes_skip_the_outbox_and_the_working_hours(time_machine):
    time_machine.move_to(local(2026, 11, 26, 23, 30), tick=False)

    sms_send_now(phone="13900000009", text="验证码 123456")

    assert [(m.phone, m.text) for m in MemoryBackend.outbox] == [("13900000009", "验证码 123456")]
    assert not OutboxMessage.objects.exists()
