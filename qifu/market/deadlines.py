"""The 服务超市's deadlines: the shared sweep (reminders, overdue notices and marks) and the
deadline source that follows a change of a year's holidays (qifu/workdays/recompute)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from qifu.market.models import Order
from qifu.market.workflow import PROCESS
from qifu.notifications.deadlines import (
    DeadlineRule,
    deadlines_sweep,
    due_text,
    process_deadlines_recompute,
)


def _provider_users(order: Order) -> list[Any]:
    from qifu.providers.services import member_users

    return member_users(order.provider) if order.provider is not None else []


def _message(order: Order, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    subject = f"{order.enterprise.name}的服务订单“{order.title}”（{order.number}）"
    due = due_text(getattr(order, rule.field))
    if kind == "reminded":
        title, body = f"服务订单待{rule.what}", f"{subject}应于{due}前{rule.what}。"
    else:
        title, body = f"服务订单{rule.what}已超期", f"{subject}已超过{rule.what}期限（{due}）。"
    return title, body, reverse("market:order", args=[order.pk])


def _mark_overdue(order: Order, rule: DeadlineRule, now: dt.datetime) -> None:
    with PROCESS.act(order, "overdue", actor=None) as step:
        due = getattr(step.obj, rule.field)
        step.note = f"已超过{rule.what}期限（{timezone.localtime(due):%Y-%m-%d %H:%M}）。"


def orders_deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the provider within one working day of accepting or completing, and once overdue."""
    return deadlines_sweep(
        process=PROCESS,
        queryset=Order.objects.select_related("enterprise", "provider"),
        recipients=_provider_users,
        message=_message,
        now=now,
        on_overdue=_mark_overdue,
    )


def order_deadlines_recompute(years: frozenset[int]) -> int:
    return process_deadlines_recompute(process=PROCESS, years=years, responsible=_provider_users)
