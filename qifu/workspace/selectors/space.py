"""Who may open which enterprise's space, and the reads its home page composes."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from qifu.accounts.models import Enterprise
from qifu.workspace.selectors.assignments import serves


def can_view_space(user: Any, enterprise: Enterprise) -> bool:
    """An enterprise's own users, the commissioner or steward serving it, and platform staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.enterprise_id is not None:
        return bool(user.enterprise_id == enterprise.pk)
    if user.is_platform_staff:
        return True
    return serves(user, enterprise)


def space_enterprise_get(*, user: Any, credit_code: str) -> Enterprise:
    """The enterprise whose space the user opens by credit code, or 404 (never 403: no probing)."""
    enterprise = Enterprise.objects.select_related("region").filter(credit_code=credit_code).first()
    if enterprise is None or not can_view_space(user, enterprise):
        raise Http404("未找到，或您无权查看。")
    return enterprise


def is_own_space(user: Any, enterprise: Enterprise) -> bool:
    """Whether the user belongs to the enterprise (rather than serving or overseeing it)."""
    return bool(getattr(user, "enterprise_id", None) == enterprise.pk)
