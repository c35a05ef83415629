"""Who acts for which provider: the helpers every provider-facing app builds its rules on.

`provider_for(user)` is the approved organisation the user acts for (None for everyone else,
and for a member of an organisation still under review or suspended): apps scope their
providers' reads and writes by it, so a provider sees only what concerns it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qifu.accounts.access import administers_section, is_platform_staff, is_signed_in

if TYPE_CHECKING:
    from qifu.providers.models import Provider, ProviderMember

_CACHE = "_qifu_provider_membership"
_MISSING = object()

# Article 9: 融资服务, 服务超市 and 校企共建 belong to the 政策诉求 section (工信局 runs it).
SECTION = "policy"


def provider_membership(user: Any) -> ProviderMember | None:
    """The user's membership of a provider, whatever the provider's status (cached per user)."""
    if not is_signed_in(user):
        return None
    cached = user.__dict__.get(_CACHE, _MISSING)
    if cached is _MISSING:
        from qifu.providers.models import ProviderMember

        cached = (
            ProviderMember.objects.select_related("provider").filter(user_id=user.pk).first()
            if user.has_role("provider")
            else None
        )
        user.__dict__[_CACHE] = cached
    return cached  # type: ignore[return-value]


def forget_membership(user: Any) -> None:
    user.__dict__.pop(_CACHE, None)
    user.__dict__.pop("role_set", None)


def provider_for(user: Any) -> Provider | None:
    """The approved provider the user acts for, or None."""
    membership = provider_membership(user)
    if membership is None or not membership.provider.is_approved:
        return None
    return membership.provider


def provider_id_for(user: Any) -> int | None:
    provider = provider_for(user)
    return provider.pk if provider is not None else None


def is_provider_user(user: Any) -> bool:
    """A member of an approved provider (page rule of the providers' own pages)."""
    return provider_for(user) is not None


def is_provider_member(user: Any, provider_id: int | None) -> bool:
    """A member of this (approved) provider."""
    return provider_id is not None and provider_id_for(user) == provider_id


def is_provider_admin(user: Any, provider_id: int | None = None) -> bool:
    """The administrator of the user's provider (of `provider_id` when given), any status."""
    membership = provider_membership(user)
    if membership is None or not membership.is_admin:
        return False
    return provider_id is None or membership.provider_id == provider_id


def is_provider_kind(user: Any, *kinds: str) -> bool:
    """A member of an approved provider of one of these kinds (a bank for financial products)."""
    provider = provider_for(user)
    return provider is not None and provider.kind in kinds


def can_review_providers(user: Any) -> bool:
    """Platform staff, or the staff of the agency that runs the 政策诉求 section (工信局)."""
    return bool(is_platform_staff(user) or administers_section(user, SECTION))
