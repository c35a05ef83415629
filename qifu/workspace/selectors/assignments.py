"""Who serves an enterprise: its current service commissioner and project steward."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qifu.accounts.models import Enterprise, User
from qifu.workspace.models import Assignment, AssignmentRole


def current_assignments(enterprise: Enterprise) -> QuerySet[Assignment]:
    """The enterprise's current commissioner and steward rows, with the people."""
    return (
        Assignment.objects.current()
        .filter(enterprise=enterprise)
        .select_related("user", "user__department")
    )


def current_assignee(enterprise: Enterprise | Any, role: str) -> User | None:
    """The person currently serving the enterprise in `role`, or None."""
    assignment = current_assignments(enterprise).filter(role=role).first()
    return assignment.user if assignment else None


def commissioner_for(enterprise: Enterprise | Any) -> User | None:
    """The enterprise's current service commissioner (服务专员), or None."""
    return current_assignee(enterprise, AssignmentRole.COMMISSIONER)


def steward_for(enterprise: Enterprise | Any) -> User | None:
    """The enterprise's current project steward (项目管家), or None."""
    return current_assignee(enterprise, AssignmentRole.STEWARD)


def serves(user: Any, enterprise: Enterprise | Any, role: str | None = None) -> bool:
    """Whether `user` currently serves `enterprise` (as `role`, or in any capacity)."""
    if not getattr(user, "is_authenticated", False):
        return False
    rows = Assignment.objects.current().filter(enterprise=enterprise, user=user)
    if role:
        rows = rows.filter(role=role)
    return rows.exists()


def users_who_can_serve(role: str) -> QuerySet[User]:
    """Active government people holding the account role of `role`, for the pickers."""
    from qifu.workspace.models import ASSIGNMENT_ACCOUNT_ROLE

    account_role = ASSIGNMENT_ACCOUNT_ROLE[AssignmentRole(role)]
    return (
        User.objects.filter(
            is_active=True, department__isnull=False, role_grants__role=account_role
        )
        .select_related("department")
        .order_by("real_name", "username")
        .distinct()
    )


def enterprises_without(
    role: str, *, town: int | None = None, industry: str = ""
) -> QuerySet[Enterprise]:
    """Active enterprises with no current `role` (the coverage gaps), optionally filtered."""
    rows = (
        Enterprise.objects.filter(is_active=True)
        .exclude(pk__in=Assignment.objects.current().filter(role=role).values("enterprise_id"))
        .select_related("region")
        .order_by("name", "pk")
    )
    if town:
        rows = rows.filter(region_id=town)
    if industry:
        rows = rows.filter(industry__startswith=industry.strip().upper())
    return rows


def enterprises_served_by(user: Any, role: str | None = None) -> QuerySet[Enterprise]:
    """The enterprises `user` currently serves (as `role`, or in any capacity)."""
    current = Assignment.objects.current().filter(user=user)
    if role:
        current = current.filter(role=role)
    return Enterprise.objects.filter(pk__in=current.values("enterprise_id"))
