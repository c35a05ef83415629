"""Sending notifications: the inbox, the SMS and e-mail outbox, and reminders.

A business change calls `notify()` inside its own transaction: the inbox and outbox rows commit or
roll back with it, and delivery is only asked for after the commit. The worker (and the
every-minute schedule, should an enqueue be lost) then claims outbox rows one by one with a
conditional UPDATE and sends them, retrying with backoff.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any, cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from qifu.core import request_context
from qifu.core.audit import audit_record
from qifu.core.masking import mask_phone
from qifu.core.ratelimit import Limit, hit
from qifu.notifications.models import (
    Channel,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Reminder,
)
from qifu.notifications.sms import SmsMessage, get_backend

logger = logging.getLogger(__name__)

INBOX = "inbox"
ALL_CHANNELS: tuple[str, ...] = (INBOX, Channel.SMS.value, Channel.EMAIL.value)
MAX_ATTEMPTS = 5
# A row left in "sending" this long belongs to a worker that died; it is claimed again.
STALE_CLAIM = timedelta(minutes=10)
# Retry n waits RETRY_BASE × 4^(n-1): 1, 4, 16 and 64 minutes.
RETRY_BASE = timedelta(minutes=1)


def sms_quota_take(*, phone: str, by_address: bool = True) -> bool:
    """Count one SMS against the hourly caps of every immediate send (SMS pumping): per phone
    (SMS_LIMIT_PER_PHONE_HOUR), per client address of the current request
    (SMS_LIMIT_PER_ADDRESS_HOUR, when `by_address`) and for the whole platform
    (SMS_LIMIT_GLOBAL_HOUR). False, counting nothing, when any cap is reached."""
    limits = [
        Limit("sms.phone", phone, settings.SMS_LIMIT_PER_PHONE_HOUR, 3600),
        Limit("sms.global", "all", settings.SMS_LIMIT_GLOBAL_HOUR, 3600),
    ]
    info = request_context.current()
    if by_address and info is not None and info.ip_address:
        limits.append(
            Limit("sms.address", info.ip_address, settings.SMS_LIMIT_PER_ADDRESS_HOUR, 3600)
        )
    return hit(*limits) is None


def sms_send_now(*, phone: str, text: str, counted: bool = False) -> bool:
    """Send one SMS immediately (verification codes and invitation links cannot wait for the
    outbox), within the hourly caps (`counted`: the caller has taken the quota already). False,
    logged, when a cap stops it."""
    if not counted and not sms_quota_take(phone=phone, by_address=False):
        logger.warning("SMS to %s not sent: an hourly SMS cap is reached", mask_phone(phone))
        return False
    get_backend().send(SmsMessage(phone=phone, text=text))
    return True


# --- Working hours ---------------------------------------------------------------------------


def sms_window_start(moment: datetime) -> datetime:
    """The earliest time at or after `moment` inside the SMS working hours (local time)."""
    start_hour, end_hour = settings.SMS_WORKING_HOURS
    local = timezone.localtime(moment)
    if start_hour <= local.hour < end_hour:
        return moment
    day = local.date() if local.hour < start_hour else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(start_hour)))


def _first_attempt_at(channel: str, now: datetime) -> datetime:
    # Nobody wants a text message at night; e-mail waits in the mailbox, so it goes at once.
    return sms_window_start(now) if channel == Channel.SMS else now


# --- Templates -------------------------------------------------------------------------------


def _absolute_url(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def _template_context(context: dict[str, Any], url: str) -> dict[str, Any]:
    # Reminder contexts come back from JSON: restore `*_at` times and `*_on` dates so templates
    # can format them with the date filter.
    prepared: dict[str, Any] = {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "CITY_NAME": settings.CITY_NAME,
        "url": url,
        "absolute_url": _absolute_url(url),
    }
    for name, value in context.items():
        if isinstance(value, str) and name.endswith("_at"):
            value = parse_datetime(value) or value
        elif isinstance(value, str) and name.endswith("_on"):
            value = parse_date(value) or value
        prepared[name] = value
    return prepared


def _render(channel: str, code: str, context: dict[str, Any]) -> str:
    backend = cast(DjangoTemplates, engines["django"])
    template = backend.engine.get_template(f"notifications/{channel}/{code}.txt")
    # Plain text: no HTML escaping (the inbox page escapes when it displays).
    return template.render(Context(context, autoescape=False)).strip()


def _render_with_subject(channel: str, code: str, context: dict[str, Any]) -> tuple[str, str]:
    subject, _, body = _render(channel, code, context).partition("\n")
    return subject.strip(), body.strip()


def _check_channels(channels: Iterable[str]) -> set[str]:
    chosen = set(channels)
    unknown = chosen - set(ALL_CHANNELS)
    if unknown:
        raise ValueError(f"未知的通知渠道：{', '.join(sorted(unknown))}")
    return chosen


# --- Notify ----------------------------------------------------------------------------------


def _enqueue_delivery() -> None:
    from django_q.tasks import async_task

    try:
        async_task("qifu.notifications.tasks.deliver_outbox", task_name="deliver_outbox")
    except Exception:  # the every-minute schedule delivers it anyway
        logger.exception("could not enqueue outbox delivery")


def outbox_enqueue_delivery() -> None:
    """Ask the worker to deliver the outbox once the current transaction commits."""
    transaction.on_commit(_enqueue_delivery)


@transaction.atomic
def notify(
    *,
    users: Iterable[Any],
    code: str,
    context: dict[str, Any],
    url: str = "",
    channels: Iterable[str] = ALL_CHANNELS,
) -> list[Notification]:
    """Notify users: inbox rows and outbox rows now, in the caller's transaction; delivery after.

    Templates are `notifications/<channel>/<code>.txt`; for the inbox and e-mail the first line is
    the title/subject. SMS goes only to users with a phone, e-mail only to users with an address.
    """
    chosen = _check_channels(channels)
    recipients = [user for user in users if user.is_active]
    now = timezone.now()
    base = _template_context(context, url)
    inbox: list[Notification] = []
    outbox: list[OutboxMessage] = []
    for user in recipients:
        ctx = {**base, "recipient": user}
        if INBOX in chosen:
            title, body = _render_with_subject(INBOX, code, ctx)
            inbox.append(Notification(user=user, kind=code, title=title[:200], body=body, url=url))
        if Channel.SMS in chosen and user.phone:
            outbox.append(
                OutboxMessage(
                    channel=Channel.SMS,
                    user=user,
                    recipient=user.phone,
                    kind=code,
                    body=_render(Channel.SMS, code, ctx),
                    next_attempt_at=_first_attempt_at(Channel.SMS, now),
                )
            )
        if Channel.EMAIL in chosen and user.email:
            subject, body = _render_with_subject(Channel.EMAIL, code, ctx)
            outbox.append(
                OutboxMessage(
                    channel=Channel.EMAIL,
                    user=user,
                    recipient=user.email,
                    kind=code,
                    subject=subject[:200],
                    body=body,
                    next_attempt_at=_first_attempt_at(Channel.EMAIL, now),
                )
            )
    created = Notification.objects.bulk_create(inbox)
    if outbox:
        OutboxMessage.objects.bulk_create(outbox)
        outbox_enqueue_delivery()
    return created


# --- Inbox -----------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    """Mark one notification read (a second call keeps the first reading time)."""
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    if notification.read_at is None:
        notification.read_at = now


def notification_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    now = timezone.now()
    return Notification.objects.for_user(user).unread().update(read_at=now, updated_at=now)


# --- Outbox delivery -------------------------------------------------------------------------


def _claimable(now: datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - STALE_CLAIM
    )


def outbox_claim(*, message_id: int) -> OutboxMessage | None:
    """Claim one due message for this worker, or None when another worker already has it.

    The conditional UPDATE is the lock: of two workers racing for a row, exactly one matches.
    """
    now = timezone.now()
    token = uuid.uuid4().hex
    claimed = OutboxMessage.objects.filter(
        _claimable(now), pk=message_id, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=OutboxStatus.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_id, claim_token=token)


def _transmit(message: OutboxMessage) -> None:
    if message.channel == Channel.SMS:
        get_backend().send(SmsMessage(phone=message.recipient, text=message.body))
    else:
        send_mail(
            message.subject,
            message.body,
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
            fail_silently=False,
        )


def retry_delay(attempts: int) -> timedelta:
    """The wait after the given number of failed attempts."""
    return RETRY_BASE * 4 ** max(attempts - 1, 0)


def outbox_send(*, message: OutboxMessage) -> bool:
    """Send a claimed message; on failure schedule a retry with backoff, or give up at the max."""
    mine = OutboxMessage.objects.filter(pk=message.pk, claim_token=message.claim_token)
    try:
        _transmit(message)
    except Exception as exc:  # noqa: BLE001 - any backend error is recorded and retried
        now = timezone.now()
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("outbox %s attempt %s failed: %s", message.pk, message.attempts, error)
        if message.attempts >= MAX_ATTEMPTS:
            mine.update(status=OutboxStatus.FAILED, last_error=error, updated_at=now)
        else:
            retry_at = now + retry_delay(message.attempts)
            mine.update(
                status=OutboxStatus.PENDING,
                next_attempt_at=_first_attempt_at(message.channel, retry_at),
                last_error=error,
                updated_at=now,
            )
        return False
    now = timezone.now()
    mine.update(status=OutboxStatus.SENT, sent_at=now, last_error="", updated_at=now)
    return True


def _outbox_sweep(now: datetime) -> None:
    # A worker died mid-send on the last allowed attempt: give up instead of trying a sixth time.
    OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING,
        claimed_at__lt=now - STALE_CLAIM,
        attempts__gte=MAX_ATTEMPTS,
    ).update(status=OutboxStatus.FAILED, last_error="发送过程中断次数过多", updated_at=now)
    # A retry that fell due in the evening waits for the morning like a new SMS.
    window = sms_window_start(now)
    if window > now:
        OutboxMessage.objects.due(now).filter(channel=Channel.SMS).update(
            next_attempt_at=window, updated_at=now
        )


def outbox_deliver_due(*, limit: int = 200) -> int:
    """Send what is due (and what a dead worker left behind); returns how many were sent."""
    now = timezone.now()
    _outbox_sweep(now)
    candidates = list(
        OutboxMessage.objects.filter(_claimable(now), attempts__lt=MAX_ATTEMPTS)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in candidates:
        message = outbox_claim(message_id=message_id)
        if message is not None and outbox_send(message=message):
            sent += 1
    return sent


def outbox_retry(*, messages: QuerySet[OutboxMessage], actor: Any) -> int:
    """Put failed messages back in the queue with fresh attempts (the admin's "retry")."""
    now = timezone.now()
    with transaction.atomic():
        failed = messages.filter(status=OutboxStatus.FAILED)
        ids = list(failed.values_list("pk", flat=True))
        if not ids:
            return 0
        reset = {
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "claim_token": "",
            "claimed_at": None,
            "last_error": "",
            "updated_at": now,
        }
        queued = OutboxMessage.objects.filter(pk__in=ids)
        queued.filter(channel=Channel.SMS).update(next_attempt_at=sms_window_start(now), **reset)
        queued.exclude(channel=Channel.SMS).update(next_attempt_at=now, **reset)
        audit_record(
            action="notifications.outbox.retry",
            actor=actor,
            summary=f"重新发送 {len(ids)} 条失败消息",
            data={"ids": ids},
        )
        outbox_enqueue_delivery()
    return len(ids)


# --- Reminders -------------------------------------------------------------------------------


def reminder_schedule(
    *,
    user: Any,
    code: str,
    context: dict[str, Any],
    remind_at: datetime,
    key: str,
    url: str = "",
) -> Reminder:
    """Schedule a reminder once per key; scheduling it again moves it while it is unsent."""
    if timezone.is_naive(remind_at):
        raise ValueError("remind_at must be an aware datetime")
    fields = {"user": user, "code": code, "context": context, "url": url, "remind_at": remind_at}
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(key=key, defaults=fields)
        if not created and reminder.sent_at is None:
            for name, value in fields.items():
                setattr(reminder, name, value)
            reminder.save()
    return reminder


def reminder_cancel(*, key: str) -> bool:
    """Drop a reminder that has not fired yet (the deadline was met); True when one was dropped."""
    deleted, _ = Reminder.objects.filter(key=key, sent_at__isnull=True).delete()
    return bool(deleted)


def reminders_send_due(*, limit: int = 500) -> int:
    """Fire due reminders, each exactly once; returns how many fired."""
    now = timezone.now()
    due = list(
        Reminder.objects.filter(sent_at__isnull=True, remind_at__lte=now)
        .order_by("remind_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    fired = 0
    for reminder_id in due:
        try:
            with transaction.atomic():
                # The claim and the notification commit together: a crash leaves it unsent.
                claimed = Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(
                    sent_at=now, updated_at=now
                )
                if not claimed:
                    continue
                reminder = Reminder.objects.select_related("user").get(pk=reminder_id)
                notify(
                    users=[reminder.user],
                    code=reminder.code,
                    context=reminder.context,
                    url=reminder.url,
                )
        except Exception:  # one broken reminder must not block the others
            logger.exception("reminder %s could not be sent", reminder_id)
            continue
        fired += 1
    return fired
