"""Periodic jobs of 融资服务, run by django-q2's scheduler."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.financing.models import FinancingOrder, FinancingOrderEvent, OrderAction
from qifu.financing.workflow import PROCESS
from qifu.notifications.deadlines import DeadlineRule, due_text
from qifu.notifications.deadlines import deadlines_sweep as shared_sweep


def _recipients(order: FinancingOrder) -> list[Any]:
    from qifu.providers.services import member_users

    return member_users(order.provider)


def _message(order: FinancingOrder, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    title = f"融资需求待{rule.what}" if kind == "reminded" else f"融资需求{rule.what}已超期"
    body = (
        f"{order.request.enterprise.name}的融资需求（{order.number}，"
        f"{order.request.amount.normalize():f} 万元）应于{due_text(getattr(order, rule.field))}"
        f"前{rule.what}。"
    )
    return title, body, reverse("financing:order", args=[order.pk])


def _on_overdue(order: FinancingOrder, rule: DeadlineRule, now: dt.datetime) -> None:
    # The enterprise sees on its timeline that the institution is late (信易贷: promised times).
    FinancingOrderEvent.objects.create(
        order=order,
        at=now,
        action=OrderAction.OVERDUE,
        actor_label="系统",
        from_state=order.status,
        to_state=order.status,
        note=f"{order.provider.name}未在{due_text(getattr(order, rule.field))}前{rule.what}。",
    )


def deadlines_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the institution within one working day of a deadline, and once it is overdue."""
    return shared_sweep(
        process=PROCESS,
        queryset=FinancingOrder.objects.select_related("request__enterprise", "provider"),
        recipients=_recipients,
        message=_message,
        now=now,
        on_overdue=_on_overdue,
    )
