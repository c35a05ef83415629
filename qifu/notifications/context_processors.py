from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from qifu.notifications.selectors import UNREAD_COUNT_CAP, notification_unread_count


class UnreadBadge:
    """Counted on first use, so a page that does not show the badge costs no query."""

    def __init__(self, user: Any) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        return notification_unread_count(user=self._user)

    @property
    def label(self) -> str:
        return f"{UNREAD_COUNT_CAP - 1}+" if self.count >= UNREAD_COUNT_CAP else str(self.count)


def unread_count(request: HttpRequest) -> dict[str, Any]:
    """`unread_notifications` (with `.count` and `.label`) for the header badge."""
    return {"unread_notifications": UnreadBadge(getattr(request, "user", None))}
