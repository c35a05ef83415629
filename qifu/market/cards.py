"""The 服务超市 in the enterprise's exclusive space: a card of its orders and their timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.market.models import Order, OrderStatus
from qifu.portal.space import SpaceCard, TimelineEntry, register_card, register_timeline_source

TONES = {
    OrderStatus.SELECTING: "info",
    OrderStatus.SUBMITTED: "warning",
    OrderStatus.ACCEPTED: "warning",
    OrderStatus.COMPLETED: "success",
    OrderStatus.DECLINED: "danger",
}


def _own(user: Any, enterprise: Any) -> bool:
    return bool(getattr(user, "enterprise_id", None) == enterprise.pk)


@register_timeline_source("market_order", "服务超市")
def order_entries(
    enterprise: Any, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = Order.objects.filter(enterprise=enterprise).order_by("-created_at", "-id")
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    own = _own(user, enterprise)
    return [
        TimelineEntry(
            at=order.created_at,
            kind="market_order",
            kind_label="服务超市",
            title=f"{order.get_category_display()}：{order.title}",
            status=order.get_status_display(),
            url=reverse("market:order", args=[order.pk]) if own else "",
            tone=TONES.get(OrderStatus(order.status), "secondary"),
        )
        for order in rows[:limit]
    ]


@register_card
def orders_card(enterprise: Any, user: Any) -> SpaceCard | None:
    """服务超市: the enterprise's latest orders, with a link to order more."""
    if enterprise is None:
        return None
    own = _own(user, enterprise)
    entries = order_entries(enterprise, user, None, 3)
    return SpaceCard(
        key="market",
        title="服务超市",
        template="workspace/_card_timeline_list.html",
        context={
            "entries": entries,
            "empty": "还没有在服务超市下过单。",
            "empty_link": ("找服务", reverse("market:home")) if own else None,
        },
        order=90,
        link=("我的服务订单", reverse("market:orders")) if own else None,
    )
