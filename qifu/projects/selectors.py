"""Reads of projects, scoped to the person asking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from qifu.projects import planning
from qifu.projects.models import (
    CLOSED_ITEM_STATUSES,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectItem,
    ProjectStatus,
)
from qifu.workdays.calendar import WorkCalendar


def projects_for(
    user: Any, *, status: str = "", stage: str = "", q: str = "", late: bool = False
) -> QuerySet[Project]:
    """The projects a user may see, filtered, with what the list shows."""
    rows = Project.objects.for_user(user).select_related("enterprise", "steward", "town")
    if status:
        rows = rows.filter(status=status)
    if stage:
        rows = rows.filter(current_stage=stage)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(enterprise__name__icontains=q) | Q(code=q))
    if late:
        # One item both open and past its planned end (not any open item and any past one).
        overdue = ProjectItem.objects.filter(
            project=OuterRef("pk"), planned_end_on__lt=timezone.localdate()
        ).exclude(status__in=CLOSED_ITEM_STATUSES)
        rows = rows.filter(Exists(overdue), status=ProjectStatus.ACTIVE)
    return rows.order_by("-created_at", "-id")


def items_for_schedule(project: Project) -> list[ProjectItem]:
    """A project's items in order, with departments and prerequisites (two queries)."""
    return list(
        project.items.select_related("department")
        .prefetch_related(Prefetch("depends_on", queryset=ProjectItem.objects.only("id")))
        .order_by("order", "id")
    )


def with_items(rows: QuerySet[Project]) -> QuerySet[Project]:
    """Projects with their items and prerequisites prefetched, for schedules of a page."""
    return rows.prefetch_related(
        Prefetch(
            "items",
            queryset=ProjectItem.objects.select_related("department")
            .prefetch_related(Prefetch("depends_on", queryset=ProjectItem.objects.only("id")))
            .order_by("order", "id"),
        )
    )


def schedule_of(
    project: Project,
    items: list[ProjectItem] | None = None,
    *,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> planning.ProjectSchedule:
    if items is None:
        items = list(project.items.all())  # prefetched by with_items()
    return planning.project_schedule(
        items,
        today=today or timezone.localdate(),
        planned_completion=project.planned_completion_on,
        calendar=calendar,
    )


def project_events(project: Project, *, include_internal: bool) -> QuerySet[ProjectEvent]:
    rows = project.events.select_related("item").order_by("-at", "-id")
    return rows if include_internal else rows.filter(is_public=True)


def project_documents(project: Project) -> QuerySet[ProjectDocument]:
    return project.documents.select_related("item", "uploaded_by").order_by("-created_at", "-id")


def documents_for(project: Project, user: Any) -> QuerySet[ProjectDocument]:
    """The project's files a user may see: a department (read-only, neither the project's
    steward nor its enterprise) only those of the items it is responsible for."""
    rows = project_documents(project)
    if is_department_viewer(user, project):
        return rows.filter(item__department_id=user.department_id)
    return rows


def is_department_viewer(user: Any, project: Project) -> bool:
    """A department reading the project because it handles one of its items (not acting)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and not user.enterprise_id
        and not user.is_platform_staff
        and project.steward_id != user.pk
        and user.is_government
    )


def handles_items(user: Any) -> bool:
    """A government user whose department is responsible for at least one project item."""
    if not getattr(user, "is_authenticated", False) or user.enterprise_id:
        return False
    if not user.is_government:
        return False
    return ProjectItem.objects.filter(department_id=user.department_id).exists()


@dataclass(frozen=True)
class DepartmentItem:
    project: Project
    row: planning.ItemRow


def department_items(
    user: Any, *, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> list[DepartmentItem]:
    """本部门承办的项目事项: the items of the user's department, across the projects the user may
    see, with the plan and slip of each; open items first, then by planned end."""
    if not getattr(user, "is_authenticated", False) or not user.department_id:
        return []
    today = today or timezone.localdate()
    calendar = calendar or WorkCalendar()
    mine = ProjectItem.objects.filter(project=OuterRef("pk"), department_id=user.department_id)
    projects = with_items(
        Project.objects.for_user(user)
        .filter(Exists(mine))
        .select_related("enterprise", "steward")
        .order_by("-created_at", "-id")
    )
    rows = [
        DepartmentItem(project, row)
        for project in projects
        for row in schedule_of(project, today=today, calendar=calendar).rows
        if row.item.department_id == user.department_id
    ]
    far = dt.date.max
    rows.sort(
        key=lambda r: (
            r.row.item.status in CLOSED_ITEM_STATUSES,
            r.row.item.planned_end_on or far,
            r.project.pk,
            r.row.item.order,
        )
    )
    return rows


def department_item_counts(user: Any, *, today: dt.date | None = None) -> dict[str, int]:
    """Open items of the user's department in active projects: all, due within one working
    day (today or the next working day), overdue."""
    today = today or timezone.localdate()
    horizon = WorkCalendar().add_working_days(today, 1)
    return (
        ProjectItem.objects.filter(
            department_id=user.department_id,
            project__in=Project.objects.for_user(user),
            project__status=ProjectStatus.ACTIVE,
        )
        .exclude(status__in=CLOSED_ITEM_STATUSES)
        .aggregate(
            open=Count("id"),
            due=Count("id", filter=Q(planned_end_on__gte=today, planned_end_on__lte=horizon)),
            overdue=Count("id", filter=Q(planned_end_on__lt=today)),
        )
    )
