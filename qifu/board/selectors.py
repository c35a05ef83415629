"""Reads of messages, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qifu.accounts.access import get_for_user_or_404
from qifu.board.models import Message


def _base() -> QuerySet[Message]:
    return Message.objects.select_related("enterprise", "category", "appeal", "created_by")


def message_list(*, user: Any, status: str = "") -> QuerySet[Message]:
    """Messages the user may see, newest first, optionally of one status."""
    qs = _base().for_user(user)  # type: ignore[attr-defined]
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")  # type: ignore[no-any-return]


def message_get(*, user: Any, pk: int) -> Message:
    """One message the user may see, or 404."""
    return get_for_user_or_404(_base(), user, pk=pk)


def message_mine(*, user: Any) -> QuerySet[Message]:
    """What the user wrote: an enterprise user sees the enterprise's messages."""
    qs = _base()
    if user.enterprise_id:
        qs = qs.filter(enterprise_id=user.enterprise_id)
    else:
        qs = qs.filter(created_by=user)
    return qs.order_by("-created_at", "-id")
