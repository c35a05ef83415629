"""The steward's workbench panel: items due soon or overdue, projects running late."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Role
from qifu.portal.workbench import Counter, Panel, register
from qifu.projects import selectors
from qifu.projects.models import CLOSED_ITEM_STATUSES, ProjectItem, ProjectStatus
from qifu.workdays.calendar import WorkCalendar
from qifu.workspace.models import Assignment, AssignmentRole


@register
def steward_panel(user: Any) -> list[Panel]:
    if not (user.is_authenticated and user.has_role(Role.STEWARD) and not user.enterprise_id):
        return []
    today = timezone.localdate()
    horizon = WorkCalendar().add_working_days(today, 1)
    counts = (
        ProjectItem.objects.filter(project__steward=user, project__status=ProjectStatus.ACTIVE)
        .exclude(status__in=CLOSED_ITEM_STATUSES)
        .aggregate(
            due=Count("id", filter=Q(planned_end_on__gte=today, planned_end_on__lte=horizon)),
            overdue=Count("id", filter=Q(planned_end_on__lt=today)),
            late=Count("project", filter=Q(planned_end_on__lt=today), distinct=True),
            projects=Count("project", distinct=True),
        )
    )
    index = reverse("projects:index")
    served_url = reverse("workspace:served")
    served = (
        Assignment.objects.current()
        .filter(user=user, role=AssignmentRole.STEWARD)
        .values("enterprise")
        .distinct()
        .count()
    )
    return [
        Panel(
            title="项目管家",
            counters=(
                Counter("服务企业", served, served_url),
                Counter("在办项目", counts["projects"], index),
                Counter(
                    "即将到期事项",
                    counts["due"],
                    index,
                    tone="warning" if counts["due"] else "primary",
                ),
                Counter(
                    "逾期事项",
                    counts["overdue"],
                    f"{index}?late=on",
                    tone="danger" if counts["overdue"] else "primary",
                ),
                Counter(
                    "滞后项目",
                    counts["late"],
                    f"{index}?late=on",
                    tone="danger" if counts["late"] else "primary",
                ),
            ),
            links=(
                ("我的项目", index),
                ("登记项目", reverse("projects:new")),
                ("我服务的企业", served_url),
            ),
            order=17,
            extra={"kind": "projects"},
        )
    ]


@register
def department_panel(user: Any) -> list[Panel]:
    """本部门承办的项目事项: for a department responsible for project items (not the steward's
    own panel: that one counts the items of the steward's projects)."""
    if not selectors.handles_items(user):
        return []
    counts = selectors.department_item_counts(user)
    url = reverse("projects:department_items")
    return [
        Panel(
            title="本部门承办的项目事项",
            counters=(
                Counter("未办结事项", counts["open"], url),
                Counter(
                    "一个工作日内到期",
                    counts["due"],
                    url,
                    tone="warning" if counts["due"] else "primary",
                ),
                Counter(
                    "逾期事项",
                    counts["overdue"],
                    url,
                    tone="danger" if counts["overdue"] else "primary",
                ),
            ),
            links=(("本部门承办的项目事项", url),),
            order=18,
            extra={"kind": "project_items"},
        )
    ]
