"""校企共建 in the enterprise's exclusive space: a card of its co-operations and their timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.cooperation.models import Cooperation, CooperationStatus
from qifu.portal.space import SpaceCard, TimelineEntry, register_card, register_timeline_source

TONES = {
    CooperationStatus.PROPOSED: "info",
    CooperationStatus.NEGOTIATING: "warning",
    CooperationStatus.AGREED: "success",
    CooperationStatus.COMPLETED: "success",
    CooperationStatus.TERMINATED: "danger",
}


def _own(user: Any, enterprise: Any) -> bool:
    return bool(getattr(user, "enterprise_id", None) == enterprise.pk)


@register_timeline_source("cooperation", "校企共建")
def cooperation_entries(
    enterprise: Any, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = (
        Cooperation.objects.filter(enterprise=enterprise)
        .select_related("provider")
        .order_by("-created_at", "-id")
    )
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    own = _own(user, enterprise)
    return [
        TimelineEntry(
            at=c.created_at,
            kind="cooperation",
            kind_label="校企共建",
            title=f"与{c.provider.display_name}：{c.title}",
            status=c.get_status_display(),
            url=reverse("cooperation:record", args=[c.pk]) if own else "",
            tone=TONES.get(CooperationStatus(c.status), "secondary"),
        )
        for c in rows[:limit]
    ]


@register_card
def cooperation_card(enterprise: Any, user: Any) -> SpaceCard | None:
    """校企共建: the enterprise's co-operations with universities and institutes."""
    if enterprise is None:
        return None
    own = _own(user, enterprise)
    return SpaceCard(
        key="cooperation",
        title="校企共建",
        template="workspace/_card_timeline_list.html",
        context={
            "entries": cooperation_entries(enterprise, user, None, 3),
            "empty": "还没有校企合作。",
            "empty_link": ("发布技术需求", reverse("cooperation:need_new")) if own else None,
        },
        order=95,
        link=("我的校企合作", reverse("cooperation:mine")) if own else None,
    )
