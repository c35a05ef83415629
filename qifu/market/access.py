"""Who does what in the 服务超市: the predicates of its process table and its page rules."""

from __future__ import annotations

from typing import Any

from qifu.accounts.access import administers_section, is_enterprise_member
from qifu.providers.access import SECTION, provider_for, provider_id_for


def is_market_staff(user: Any) -> bool:
    """Staff of the agency that runs the 政策诉求 section (工信局, article 5), or the superuser:
    they review offerings and handle complaints."""
    return administers_section(user, SECTION)


def is_market_provider(user: Any) -> bool:
    """A member of an approved provider (any kind may list offerings)."""
    return provider_for(user) is not None


def is_order_enterprise(user: Any, order: Any) -> bool:
    return is_enterprise_member(user, order.enterprise_id)


def is_order_provider(user: Any, order: Any) -> bool:
    return order.provider_id is not None and provider_id_for(user) == order.provider_id
