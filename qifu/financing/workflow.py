"""A financing need sent to one institution, as a process (anchors A14, 信易贷: needs matched to
products, taken up within a promised time, outcome recorded; measures art. 9).

send → pending ─take→ taken ─grant→ granted
          │              └─refuse→ refused          granted/refused ─rate→ (same)
          └─refuse→ refused;  pending/taken ─cancel→ cancelled (the enterprise)
Deadlines (working days, settings): take up within FINANCING_TAKE_UP_WORKING_DAYS of sending,
record the outcome within FINANCING_DECISION_WORKING_DAYS of taking up.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from qifu.accounts.access import is_enterprise_member
from qifu.core.workflow import Deadline, Process, action, nobody, permission
from qifu.financing.models import (
    OPEN_ORDER_STATUSES,
    FinancingOrder,
    FinancingOrderEvent,
    OrderStatus,
)
from qifu.providers.access import is_provider_member

S = OrderStatus
OPEN = list(OPEN_ORDER_STATUSES)


@permission("提出需求的企业", "只有提出需求的企业可以执行此操作。")
def by_enterprise(user: Any, order: FinancingOrder) -> bool:
    return is_enterprise_member(user, order.request.enterprise_id)


@permission("接到需求的机构", "只有接到该需求的机构可以执行此操作。")
def by_institution(user: Any, order: FinancingOrder) -> bool:
    return is_provider_member(user, order.provider_id)


@permission("提出需求的企业（仅评价一次）", "只有提出需求的企业可以评价，且只能评价一次。")
def may_rate(user: Any, order: FinancingOrder) -> bool:
    return by_enterprise(user, order) and order.rating is None


PROCESS = Process(
    name="financing_orders",
    label="融资对接",
    model=FinancingOrder,
    states=OrderStatus,
    history=FinancingOrderEvent,
    subject="order",
    lock_related=("request", "provider"),
    audit_prefix="financing.order",
    url=lambda o: reverse("financing:order", args=[o.pk]),
    number=lambda o: o.number,
    entries={"overdue": "超期"},
    actions=[
        action("send", "推送机构", sources=[], allowed=by_enterprise),
        action("take", "接单", sources=[S.PENDING], to=S.TAKEN, allowed=by_institution),
        action("grant", "放款", sources=[S.TAKEN], to=S.GRANTED, allowed=by_institution),
        action("refuse", "未获批", sources=OPEN, to=S.REFUSED, allowed=by_institution),
        action("cancel", "企业撤回", sources=OPEN, to=S.CANCELLED, allowed=by_enterprise),
        action("rate", "企业评价", sources=[S.GRANTED, S.REFUSED], allowed=may_rate),
        action("deadline_changed", "期限调整", sources=OPEN, allowed=nobody),
    ],
    deadlines=[
        Deadline(
            states=frozenset({S.PENDING}),
            field="take_due_at",
            working_days=lambda o: settings.FINANCING_TAKE_UP_WORKING_DAYS,
            what="接单",
            rule="FINANCING_TAKE_UP_WORKING_DAYS（默认2）个工作日内",
            start_field="sent_at",
            days_field="take_working_days",
        ),
        Deadline(
            states=frozenset({S.TAKEN}),
            field="decide_due_at",
            working_days=lambda o: settings.FINANCING_DECISION_WORKING_DAYS,
            what="办结",
            rule="FINANCING_DECISION_WORKING_DAYS（默认10）个工作日内",
            start_field="decide_from",
            days_field="decide_working_days",
        ),
    ],
)
