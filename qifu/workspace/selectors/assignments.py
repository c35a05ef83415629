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
