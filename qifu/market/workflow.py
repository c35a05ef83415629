"""The 服务超市 order as a process of the one workflow mechanism (qifu/core/workflow.py).

    (new) ─order→ 待接单                      direct choice of an offering
    (new) ─post→ 待选定机构 ─quote (providers, stays)
                           ─choose (a quote) / draw (random)→ 待接单
    待接单 ─accept→ 服务中 ─complete→ 已完成 ─rate (once, stays)
    待接单 ─decline→ 待选定机构 (a need: choose or draw again) or 机构未接单 (a direct order)
    待选定机构, 待接单 ─cancel→ 已取消;   complain / resolve: any state after selection, stays

Deadlines (working days, the shared sweep reminds and reports overdue): the provider accepts
within MARKET_ACCEPT_WORKING_DAYS of receiving the order; it completes within the working days
it promised on accepting (its quote's, or the offering's).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from qifu.core.workflow import Deadline, Process, action, nobody, permission
from qifu.market import access
from qifu.market.models import Order, OrderEvent, OrderStatus

S = OrderStatus
OPEN = [S.SELECTING, S.SUBMITTED, S.ACCEPTED]
SELECTED = [S.SUBMITTED, S.ACCEPTED, S.COMPLETED, S.DECLINED]


@permission("下单企业", "只有下单的企业可以执行此操作。")
def can_order(user: Any, order: Any) -> bool:
    return access.is_order_enterprise(user, order)


@permission("接单的服务机构", "只有接单的服务机构可以执行此操作。")
def can_serve(user: Any, order: Any) -> bool:
    return access.is_order_provider(user, order)


@permission("有该类服务的入驻机构", "只有在该类别有在架服务的机构可以报价。")
def can_quote(user: Any, order: Any) -> bool:
    from qifu.market.selectors import may_quote

    return may_quote(user, order)


@permission("服务超市管理部门（工信局）", "只有服务超市的管理部门可以处理投诉。")
def can_resolve(user: Any, order: Any) -> bool:
    return access.is_market_staff(user)


PROCESS = Process(
    name="market_orders",
    label="服务订单",
    model=Order,
    states=OrderStatus,
    history=OrderEvent,
    subject="order",
    lock_related=("enterprise", "provider"),
    audit_prefix="market.order",
    url=lambda o: reverse("market:order", args=[o.pk]),
    actions=[
        action("order", "直接下单", sources=[], to=S.SUBMITTED, allowed=can_order),
        action("post", "发布需求", sources=[], to=S.SELECTING, allowed=can_order),
        action("quote", "提交报价", sources=[S.SELECTING], allowed=can_quote),
        action("choose", "选定报价", sources=[S.SELECTING], to=S.SUBMITTED, allowed=can_order),
        action("draw", "随机抽取", sources=[S.SELECTING], to=S.SUBMITTED, allowed=can_order),
        action("accept", "接单", sources=[S.SUBMITTED], to=S.ACCEPTED, allowed=can_serve),
        action(
            "decline",
            "不接单",
            sources=[S.SUBMITTED],
            to=[S.SELECTING, S.DECLINED],
            allowed=can_serve,
        ),
        action("complete", "完成服务", sources=[S.ACCEPTED], to=S.COMPLETED, allowed=can_serve),
        action("rate", "评价", sources=[S.COMPLETED], allowed=can_order),
        action(
            "cancel", "取消", sources=[S.SELECTING, S.SUBMITTED], to=S.CANCELLED, allowed=can_order
        ),
        action("complain", "投诉", sources=SELECTED, allowed=can_order),
        action("resolve", "处理投诉", sources=list(S.values), allowed=can_resolve),
        action("overdue", "超期", sources=[S.SUBMITTED, S.ACCEPTED], allowed=nobody),
        action("deadline_changed", "期限调整", sources=OPEN, allowed=nobody),
    ],
    deadlines=[
        Deadline(
            states=frozenset({S.SUBMITTED}),
            field="accept_due_at",
            working_days=lambda o: settings.MARKET_ACCEPT_WORKING_DAYS,
            what="接单",
            rule="MARKET_ACCEPT_WORKING_DAYS个工作日内（默认2）",
            start_field="submitted_at",
            days_field="accept_working_days",
        ),
        Deadline(
            states=frozenset({S.ACCEPTED}),
            field="due_at",
            working_days=lambda o: o.promised_working_days or settings.MARKET_SERVICE_WORKING_DAYS,
            what="完成服务",
            rule="机构承诺的工作日内（报价或服务所定，默认 MARKET_SERVICE_WORKING_DAYS=10）",
            start_field="accepted_at",
            days_field="promised_working_days",
        ),
    ],
)
