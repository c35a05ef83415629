"""The financing orders' deadline source: running deadlines follow a change of the holidays
(registered in FinancingConfig.ready() with qifu.workdays.recompute)."""

from __future__ import annotations

from typing import Any

from qifu.financing.models import FinancingOrder
from qifu.financing.workflow import PROCESS
from qifu.notifications.deadlines import process_deadlines_recompute


def _responsible(order: FinancingOrder) -> list[Any]:
    from qifu.providers.services import member_users

    return member_users(order.provider)


def order_deadlines_recompute(years: frozenset[int]) -> int:
    """Open orders whose take-up or outcome deadline may lie in the years."""
    return process_deadlines_recompute(process=PROCESS, years=years, responsible=_responsible)
