"""Reminders of the project steward: an item's planned end within one working day, and a stage
whose planned end has passed while items of it are still open.

Each reminder is claimed by inserting a unique ProjectReminder row (project, kind, subject, due
date) before it is sent, inside the same transaction as the notification: two workers or a second
run never send it twice, and a replanned date is reminded again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import User
from qifu.core.claims import claim_once
from qifu.notifications.services import notify
from qifu.projects.models import (
    CLOSED_ITEM_STATUSES,
    Project,
    ProjectItem,
    ProjectReminder,
    ProjectStatus,
    ReminderKind,
    Stage,
)
from qifu.workdays.calendar import WorkCalendar


def _claim(project_id: int, kind: str, subject: str, due_on: dt.date) -> bool:
    return claim_once(
        ProjectReminder, project_id=project_id, kind=kind, subject=subject, due_on=due_on
    )


def _recipients(project: Project) -> list[Any]:
    users = list(User.objects.filter(enterprise_id=project.enterprise_id, is_active=True))
    if project.steward is not None:
        users.append(project.steward)
    return users


def project_reminders_sweep(*, now: dt.datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send the due reminders once each; returns how many of each kind were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = WorkCalendar()
    horizon = calendar.add_working_days(today, 1)
    counts = {"item_due": 0, "stage_late": 0}
    active = ProjectItem.objects.filter(project__status=ProjectStatus.ACTIVE).exclude(
        status__in=CLOSED_ITEM_STATUSES
    )

    due_soon = (
        active.filter(planned_end_on__gte=today, planned_end_on__lte=horizon)
        .select_related("project", "project__steward")
        .order_by("planned_end_on", "id")[:limit]
    )
    for item in due_soon:
        assert item.planned_end_on is not None
        with transaction.atomic():
            if not _claim(
                item.project_id, ReminderKind.ITEM_DUE, f"item:{item.pk}", item.planned_end_on
            ):
                continue
            project = item.project
            notify(
                users=_recipients(project),
                code="generic",
                context={
                    "title": f"审批事项即将到期：{item.name}",
                    "body": (
                        f"“{project.name}”的“{item.name}”计划于{item.planned_end_on:%m月%d日}完成，"
                        "请关注办理进度。"
                    ),
                },
                url=reverse("projects:detail", args=[project.pk]),
                channels=("inbox",),
            )
        counts["item_due"] += 1

    # A stage is late when it has an open item and its planned end (its latest item's) has passed.
    late_pairs = (
        active.filter(planned_end_on__lt=today)
        .values_list("project_id", "stage")
        .distinct()
        .order_by("project_id", "stage")[:limit]
    )
    pairs = set(late_pairs)
    if not pairs:
        return counts
    ends = {
        (row["project_id"], row["stage"]): row["end"]
        for row in ProjectItem.objects.filter(project_id__in={p for p, _ in pairs})
        .values("project_id", "stage")
        .annotate(end=Max("planned_end_on"))
    }
    projects = Project.objects.select_related("steward").in_bulk({p for p, _ in pairs})
    for project_id, stage in sorted(pairs):
        end = ends.get((project_id, stage))
        if end is None or end >= today:
            continue  # the stage's own plan has not run out, only one early item of it
        project = projects[project_id]
        with transaction.atomic():
            if not _claim(project_id, ReminderKind.STAGE_LATE, f"stage:{stage}", end):
                continue
            label = Stage(stage).label
            notify(
                users=_recipients(project),
                code="generic",
                context={
                    "title": f"项目阶段滞后：{project.name}",
                    "body": (
                        f"“{project.name}”的{label}阶段计划于{end:%m月%d日}完成，目前仍有事项未办结。"
                    ),
                },
                url=reverse("projects:detail", args=[project.pk]),
            )
        counts["stage_late"] += 1
    return counts
