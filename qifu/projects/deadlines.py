"""The projects' deadline source: planned item dates follow a change of the holidays.

Registered in ProjectsConfig.ready() with qifu.workdays.recompute. An open item's planned end is
its deadline (the reminders run on it); it was counted by `planning.plan()` or `cascade()` from
its planned start and its limit in working days, and is counted again by `planning.recalendar()`
— except for items the steward replanned by hand (`planned_by_hand`), whose dates are his.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qifu.projects import planning
from qifu.projects.models import (
    CLOSED_ITEM_STATUSES,
    EventAction,
    Project,
    ProjectItem,
    ProjectStatus,
)
from qifu.workdays.calendar import WorkCalendar
from qifu.workdays.recompute import affected_from, change_note


def _recompute_project(project_id: int, years: frozenset[int], cal: WorkCalendar) -> int:
    """Replan one project's open items by the calendar, under its lock; returns items moved."""
    from qifu.notifications.services import notify
    from qifu.projects.reminders import _recipients
    from qifu.projects.services import _event, locked_plan

    with transaction.atomic():
        project = (
            Project.objects.select_for_update(of=("self",))
            .select_related("steward")
            .get(pk=project_id)
        )
        if project.status != ProjectStatus.ACTIVE:
            return 0
        items, planned = locked_plan(project.pk)
        changed = planning.recalendar(
            planning.inputs_from_items(items),
            planned=planned,
            pinned=[i.pk for i in items if i.planned_by_hand],
            calendar=cal,
        )
        if not changed:
            return 0
        moved: list[ProjectItem] = []
        lines: list[str] = []
        for item in items:
            span = changed.get(item.pk)
            if span is None:
                continue
            note = change_note(
                what=f"“{item.name}”计划完成",
                old=item.planned_end_on,
                new=span.end,
                years=years,
                warning=cal.warning_for(span.end, span.end),
            )
            if span.start != item.planned_start_on:
                note += f"计划开始日期随之调整为 {span.start:%Y-%m-%d}。"
            item.planned_start_on, item.planned_end_on = span.start, span.end
            item.updated_at = timezone.now()
            moved.append(item)
            lines.append(note)
            _event(project, action=EventAction.DEADLINE, actor=None, item=item, note=note)
        ProjectItem.objects.bulk_update(moved, ["planned_start_on", "planned_end_on", "updated_at"])
        project.planned_completion_on = planning.completion(
            planning.Span(i.planned_start_on, i.planned_end_on)
            for i in items
            if i.planned_start_on and i.planned_end_on
        )
        project.save(update_fields=["planned_completion_on", "updated_at"])
        users = _recipients(project)
        url = reverse("projects:detail", args=[project.pk])
        title = f"审批计划随节假日调整：{project.name}"[:100]
        body = "\n".join(lines)
        transaction.on_commit(
            lambda: notify(
                users=users, code="generic", context={"title": title, "body": body}, url=url
            )
        )
        return len(moved)


def project_deadlines_recompute(years: frozenset[int]) -> int:
    """Active projects with an open item planned to end in or after the years."""
    since = affected_from(years).date()
    ids = (
        ProjectItem.objects.filter(project__status=ProjectStatus.ACTIVE, planned_end_on__gte=since)
        .exclude(status__in=CLOSED_ITEM_STATUSES)
        .values_list("project_id", flat=True)
        .distinct()
        .order_by("project_id")
    )
    cal = WorkCalendar()
    return sum(_recompute_project(pk, years, cal) for pk in list(ids))
