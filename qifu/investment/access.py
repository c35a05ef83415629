"""Who may see and do what in 智慧招商 (the issue's "Permissions").

- The public pages show only published items (the catalogue's `published()`).
- Leads, contacts, visits, amounts and the key-enterprise database are for investment staff (the
  agency running the section, 商务局, and the members of investment teams elsewhere, such as a
  zone's investment bureau) and for leaders (督查领导, read-only).
- An officer sees the whole pipeline, or only the leads they take part in when the deployment
  sets INVESTMENT_PIPELINE_SCOPE=own; the agency's administrator and liaison, team leaders and
  leaders always see the whole pipeline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied

from qifu.accounts.models import Role, Section

LEAD_ROLES = (Role.DEPARTMENT_ADMIN, Role.LIAISON, Role.PLATFORM_STAFF)


def _signed_in_government(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and not user.enterprise_id)


def in_investment_agency(user: Any) -> bool:
    department = getattr(user, "department", None)
    return bool(
        user.is_government
        and department is not None
        and Section.INVESTMENT in (department.sections or [])
    )


def is_investment_staff(user: Any) -> bool:
    """商务局 staff, members of an investment team, and superusers."""
    if not _signed_in_government(user):
        return False
    if user.is_superuser or in_investment_agency(user):
        return True
    if "_investment_team" not in user.__dict__:
        user.__dict__["_investment_team"] = user.is_government and user.investment_teams.exists()
    return bool(user.__dict__["_investment_team"])


def is_investment_leader(user: Any) -> bool:
    """Leaders (督查领导) read the pipeline, its statistics and maps; they do not work leads."""
    return bool(
        _signed_in_government(user) and user.is_government and user.has_role(Role.SUPERVISOR)
    )


def can_read_pipeline(user: Any) -> bool:
    return is_investment_staff(user) or is_investment_leader(user)


def is_team_lead(user: Any) -> bool:
    """The agency's administrator or liaison (and superusers): assign leads, see everything."""
    if not _signed_in_government(user):
        return False
    return bool(user.is_superuser or (in_investment_agency(user) and user.has_role(*LEAD_ROLES)))


def sees_whole_pipeline(user: Any) -> bool:
    if is_investment_leader(user) or is_team_lead(user):
        return True
    return settings.INVESTMENT_PIPELINE_SCOPE != "own" and is_investment_staff(user)


def takes_part(user: Any, lead: Any) -> bool:
    if lead.owner_id == user.pk:
        return True
    if lead.members.filter(user=user).exists():
        return True
    return bool(lead.nodes.filter(owner=user).exists())


def can_work_lead(user: Any, lead: Any) -> bool:
    """Take actions on a lead: team leads, and officers who see it (leaders only read)."""
    if not is_investment_staff(user):
        return False
    if is_team_lead(user) or settings.INVESTMENT_PIPELINE_SCOPE != "own":
        return True
    return takes_part(user, lead)


def check_work_lead(user: Any, lead: Any) -> None:
    if not can_work_lead(user, lead):
        raise PermissionDenied("只有招商工作人员可以办理招商项目。")


def check_pipeline_reader(user: Any) -> None:
    if not can_read_pipeline(user):
        raise PermissionDenied("招商项目、来访和金额仅限招商工作人员和领导查看。")


def check_investment_staff(user: Any) -> None:
    if not is_investment_staff(user):
        raise PermissionDenied("仅限招商工作人员。")
