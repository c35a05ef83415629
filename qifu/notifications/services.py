"""Sending notifications."""

from __future__ import annotations

from qifu.notifications.sms import SmsMessage, get_backend


def sms_send_now(*, phone: str, text: str) -> None:
    """Send one SMS immediately (verification codes cannot wait for the outbox)."""
    get_backend().send(SmsMessage(phone=phone, text=text))
