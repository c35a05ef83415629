"""Who may do what in 融资服务: the enterprise, the institution an order was sent to, and the
staff of the agency that runs 政策诉求 (工信局) who oversee it."""

from __future__ import annotations

from typing import Any

from qifu.accounts.access import administers_section, is_platform_staff
from qifu.providers.access import is_provider_kind
from qifu.providers.models import FINANCIAL_KINDS

SECTION = "policy"


def can_oversee(user: Any) -> bool:
    """Platform staff and the 政策诉求 agency's staff: every need, order and statistic."""
    return bool(is_platform_staff(user) or administers_section(user, SECTION))


def is_financial_provider(user: Any) -> bool:
    """A member of an admitted bank or guarantee institution (they publish products, take
    orders)."""
    return is_provider_kind(user, *FINANCIAL_KINDS)


def takes_orders(user: Any) -> bool:
    """Any admitted provider member may hold orders (a bridge fund's operator, too)."""
    from qifu.providers.access import is_provider_user

    return is_provider_user(user)
