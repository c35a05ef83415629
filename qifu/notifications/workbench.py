"""The workbench panel of the inbox: unread notifications at a glance."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.notifications.selectors import UNREAD_COUNT_CAP, notification_unread_count
from qifu.portal.workbench import Counter, Panel, register


@register
def unread_panel(user: Any) -> list[Panel]:
    if not getattr(user, "is_authenticated", False):
        return []
    unread = notification_unread_count(user=user)
    inbox = reverse("notifications:inbox")
    note = f"未读消息超过 {UNREAD_COUNT_CAP - 1} 条。" if unread >= UNREAD_COUNT_CAP else ""
    return [
        Panel(
            title="消息通知",
            counters=(
                Counter(
                    label="未读消息",
                    value=unread,
                    url=f"{inbox}?unread=1",
                    tone="warning" if unread else "primary",
                ),
            ),
            links=(("查看全部消息", inbox),),
            note=note,
            order=10,
        )
    ]
