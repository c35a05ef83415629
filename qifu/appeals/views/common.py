"""Who is looking, and how service errors reach the form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from qifu.accounts.models import Role
from qifu.appeals.services import is_platform_staff


def is_staff_viewer(user: Any) -> bool:
    """Platform staff and supervisors use the platform's list of every appeal."""
    return is_platform_staff(user) or user.has_role(Role.SUPERVISOR)


def is_department_user(user: Any) -> bool:
    return bool(user.is_government and user.department_id and not is_staff_viewer(user))


def require_access(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("您无权访问此页面。")
