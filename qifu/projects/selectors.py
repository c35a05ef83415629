"""Reads of projects, scoped to the person asking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
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
    return rows if include_internal else rows.filter(is_internal=False)


def project_documents(project: Project) -> QuerySet[ProjectDocument]:
    return project.documents.select_related("item", "uploaded_by").order_by("-created_at", "-id")
