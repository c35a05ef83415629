"""融资服务 in the enterprise's exclusive space: a card and the timeline of its needs' steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.financing.models import FinancingOrderEvent, FinancingRequest, OrderStatus
from qifu.financing.selectors import granted_total
from qifu.portal.space import SpaceCard, TimelineEntry, register_card, register_timeline_source

TONES = {
    "send": "info",
    "take": "info",
    "grant": "success",
    "refuse": "warning",
    "cancel": "secondary",
    "rate": "secondary",
    "overdue": "danger",
}


@register_timeline_source("financing", "融资服务")
def financing_timeline(
    enterprise: Any, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    qs = FinancingOrderEvent.objects.filter(
        order__request__enterprise=enterprise, is_public=True
    ).select_related("order__provider", "order__request")
    if before is not None:
        qs = qs.filter(at__lt=before)
    return [
        TimelineEntry(
            at=e.at,
            kind="financing",
            kind_label="融资服务",
            title=f"{e.order.provider.display_name}：{e.get_action_display()}"  # type: ignore[attr-defined]
            f"（{e.order.request.title}）",
            status=e.order.get_status_display(),  # type: ignore[attr-defined]
            url=reverse("financing:request", args=[e.order.request_id]),
            tone=TONES.get(e.action, "secondary"),
        )
        for e in qs.order_by("-at", "-id")[:limit]
    ]


@register_card
def financing_card(enterprise: Any, user: Any) -> SpaceCard | None:
    requests = FinancingRequest.objects.filter(enterprise=enterprise)
    total = requests.count()
    open_count = (
        requests.filter(orders__status__in=[OrderStatus.PENDING, OrderStatus.TAKEN])
        .distinct()
        .count()
    )
    granted = granted_total(enterprise_id=enterprise.pk)
    return SpaceCard(
        key="financing",
        title="融资服务",
        template="financing/_card.html",
        context={"total": total, "open": open_count, "granted": granted},
        order=60,
        link=("我的融资需求", reverse("financing:requests")),
        summary=(("融资需求", str(total)), ("已获放款（万元）", f"{granted.normalize():f}")),
    )
