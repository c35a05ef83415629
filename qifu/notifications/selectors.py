"""Reads of a user's inbox, always scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qifu.accounts.access import get_for_user_or_404
from qifu.notifications.models import Notification

# The header badge shows "99+" beyond this; counting further would scan a large inbox for nothing.
UNREAD_COUNT_CAP = 100


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    notifications = Notification.objects.for_user(user)
    if unread_only:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-id")


def notification_unread_count(*, user: Any) -> int:
    """Unread notifications of the user, counted up to UNREAD_COUNT_CAP."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.for_user(user).unread()[:UNREAD_COUNT_CAP].count()


def notification_get(*, user: Any, pk: int) -> Notification:
    """One of the user's notifications; another user's is a 404."""
    return get_for_user_or_404(Notification.objects.all(), user, pk=pk)
