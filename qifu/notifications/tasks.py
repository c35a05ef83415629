"""Jobs run by the django-q2 worker (queued after commits, and on the schedules)."""

from __future__ import annotations

from qifu.notifications.services import outbox_deliver_due, reminders_send_due


def deliver_outbox() -> int:
    """Send the SMS and e-mail that are due."""
    return outbox_deliver_due()


def send_due_reminders() -> int:
    """Fire the reminders whose time has come."""
    return reminders_send_due()
