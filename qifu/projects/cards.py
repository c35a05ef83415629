"""The project steward's parts of the exclusive space: the 项目进展 card and timeline source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from qifu.portal.space import SpaceCard, TimelineEntry, register_card, register_timeline_source
from qifu.projects import selectors
from qifu.projects.models import EventAction, Project, ProjectEvent, ProjectStatus
from qifu.workdays.calendar import WorkCalendar

PANEL_LIMIT = 5

_TONES = {
    EventAction.COMPLETE: "success",
    EventAction.FINISH: "success",
    EventAction.REPLAN: "warning",
    EventAction.REQUEST_DOCUMENT: "warning",
    EventAction.START: "info",
}


@register_card
def projects_panel(enterprise: Any, user: Any) -> SpaceCard | None:
    """Each project's current stage, progress, predicted completion and slip."""
    rows = selectors.with_items(
        Project.objects.filter(enterprise=enterprise)
        .select_related("steward")
        .order_by("status", "-created_at")
    )[:PANEL_LIMIT]
    calendar = WorkCalendar()
    today = timezone.localdate()
    entries = [(p, selectors.schedule_of(p, today=today, calendar=calendar)) for p in rows]
    active = [p for p, _ in entries if p.status == ProjectStatus.ACTIVE]
    late = [p for p, s in entries if p.status == ProjectStatus.ACTIVE and s.slip > 0]
    return SpaceCard(
        key="projects",
        title="项目进展",
        template="projects/_space_card.html",
        context={"entries": entries},
        order=60,
        link=("全部项目", reverse("projects:index")),
        summary=(("在建项目", str(len(active))), ("滞后项目", str(len(late)))),
    )


@register_timeline_source("project", "项目进展")
def project_timeline(
    enterprise: Any, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = ProjectEvent.objects.filter(project__enterprise=enterprise, is_public=True)
    if before is not None:
        rows = rows.filter(at__lt=before)
    rows = rows.select_related("project", "item").order_by("-at", "-id")[:limit]
    return [
        TimelineEntry(
            at=e.at,
            kind="project",
            kind_label="项目进展",
            title=f"{e.project.name}" + (f" · {e.item.name}" if e.item else ""),
            status=e.get_action_display(),
            url=reverse("projects:detail", args=[e.project_id]),
            tone=_TONES.get(e.action, "secondary"),  # type: ignore[call-overload]
        )
        for e in rows
    ]
