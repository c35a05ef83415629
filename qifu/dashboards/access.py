"""Who sees the dashboards.

- The city overview and every department's figures: leaders (督查领导), platform staff and the
  assessment administrator, as DASHBOARD_VIEWER_ROLES names them, and superusers.
- A department's own figures and cases: its own government users (another department's: 404).
- Enterprises and the public: refused (403); the open data is public.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from qifu.accounts.models import Department


def can_view_overview(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.enterprise_id and not user.is_superuser:
        return False
    return bool(user.is_superuser or user.has_role(*settings.DASHBOARD_VIEWER_ROLES))


def can_open_dashboards(user: Any) -> bool:
    """The page rule of the department pages: overview viewers and government users."""
    return can_view_overview(user) or bool(
        getattr(user, "is_authenticated", False) and user.is_government and user.department_id
    )


def can_view_department(user: Any, department: Department) -> bool:
    if can_view_overview(user):
        return True
    return bool(user.is_government and user.department_id == department.pk)
