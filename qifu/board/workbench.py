"""The workbench panel of 我要留言: messages awaiting platform staff."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.accounts.models import Role
from qifu.board.models import Message, MessageStatus
from qifu.portal.workbench import Counter, Panel, register


@register
def messages_panel(user: Any) -> list[Panel]:
    if not (user.is_superuser or user.has_role(Role.PLATFORM_STAFF)):
        return []
    manage = reverse("board:manage")
    waiting = Message.objects.filter(status=MessageStatus.NEW).count()
    return [
        Panel(
            title="我要留言",
            counters=(
                Counter(
                    "待答复",
                    waiting,
                    f"{manage}?status={MessageStatus.NEW}",
                    tone="warning" if waiting else "primary",
                ),
            ),
            links=(("留言管理", manage),),
            order=40,
        )
    ]
