"""Permission-checked access: another enterprise's or department's object is a 404."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_for_user_or_404(queryset: models.QuerySet[M], user: Any, **lookup: Any) -> M:
    """Fetch through the model's `for_user(user)` scope, so what the user may not see is absent."""
    scoped = queryset.for_user(user)  # type: ignore[attr-defined]
    obj = scoped.filter(**lookup).first()
    if obj is None:
        raise Http404("未找到，或您无权查看。")
    return obj  # type: ignore[no-any-return]


# --- Who a user acts as: the predicates every process's permission rules are built from -------

HANDLER_ROLES = ("department_admin", "department_handler")


def is_signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_platform_staff(user: Any) -> bool:
    """平台工作人员 (or the superuser): intake, triage, dispatch, follow-up, approvals."""
    return is_signed_in(user) and bool(user.is_superuser or user.has_role("platform_staff"))


def is_department_handler(user: Any, department_id: int | None = None) -> bool:
    """A department's administrator or handler (measures art. 11: 派单的处置、应答回复), acting
    for `department_id` when given. Commissioners, stewards, auditors of the same bureau are not
    handlers of its work orders."""
    if not is_signed_in(user) or user.department_id is None:
        return False
    if department_id is not None and user.department_id != department_id:
        return False
    return bool(user.has_role(*HANDLER_ROLES))


def is_enterprise_member(user: Any, enterprise_id: int | None) -> bool:
    """A user of the enterprise that owns the object."""
    return bool(
        is_signed_in(user) and enterprise_id is not None and user.enterprise_id == enterprise_id
    )


def administers_section(user: Any, section: str) -> bool:
    """Staff of the agency that runs a section (article 5), or the superuser."""
    return is_signed_in(user) and bool(user.administers_section(section))
