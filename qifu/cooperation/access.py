"""Who does what in 校企共建: the predicates of its process table and its page rules."""

from __future__ import annotations

from typing import Any

from qifu.accounts.access import administers_section, is_enterprise_member
from qifu.providers.access import SECTION, provider_for, provider_id_for
from qifu.providers.models import ACADEMIC_KINDS


def is_cooperation_staff(user: Any) -> bool:
    """Staff of the agency that runs the 政策诉求 section (工信局), or the superuser."""
    return administers_section(user, SECTION)


def is_academic_provider(user: Any) -> bool:
    """A member of an approved university or research institute."""
    provider = provider_for(user)
    return provider is not None and provider.kind in ACADEMIC_KINDS


def is_party_enterprise(user: Any, cooperation: Any) -> bool:
    return is_enterprise_member(user, cooperation.enterprise_id)


def is_party_provider(user: Any, cooperation: Any) -> bool:
    return provider_id_for(user) == cooperation.provider_id


def is_party(user: Any, cooperation: Any) -> bool:
    return is_party_enterprise(user, cooperation) or is_party_provider(user, cooperation)
