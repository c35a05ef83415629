"""Periodic jobs of the appeal mechanism: reminders before deadlines and overdue marking.

Both claim each appeal with a conditional UPDATE on the deadline they act for, so two workers,
or a second run, never remind or mark twice for the same deadline.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from qifu.appeals.models import AWAITING_DISPATCH, Appeal, AppealEvent, Stage, overdue_q
from qifu.workdays.calendar import deadline_after

STAGE_DEADLINE_FIELD = {
    Stage.RECEIVED: "dispatch_due_at",
    Stage.TRIAGED: "dispatch_due_at",
    Stage.DISPATCHED: "respond_due_at",
    Stage.RESPONDED: "followup_due_at",
}
WHAT = {"dispatch_due_at": "派发", "respond_due_at": "应答", "followup_due_at": "回访"}


def _with_current_due(qs: Any) -> Any:
    return qs.annotate(
        current_due=Case(
            When(stage__in=AWAITING_DISPATCH, then=F("dispatch_due_at")),
            When(stage=Stage.DISPATCHED, then=F("respond_due_at")),
            When(stage=Stage.RESPONDED, then=F("followup_due_at")),
            default=None,
        )
    )


def _claim(appeal: Appeal, field: str, due: Any) -> bool:
    """Take the right to act once for this deadline; False when someone already did."""
    deadline_field = STAGE_DEADLINE_FIELD[Stage(appeal.stage)]
    updated = (
        Appeal.objects.filter(pk=appeal.pk, stage=appeal.stage, **{deadline_field: due})
        .filter(Q(**{f"{field}__isnull": True}) | ~Q(**{field: due}))
        .update(**{field: due})
    )
    return updated == 1


def mark_overdue(*, now: Any = None, limit: int = 1000) -> int:
    """Mark appeals past their current deadline, record it on the timeline, tell who must act."""
    from qifu.appeals import notifications

    now = now or timezone.now()
    candidates = (
        _with_current_due(Appeal.objects.filter(overdue_q(now)))
        .filter(Q(overdue_marked_for__isnull=True) | ~Q(overdue_marked_for=F("current_due")))
        .only("id", "stage", "dispatch_due_at", "respond_due_at", "followup_due_at")[:limit]
    )
    marked = 0
    for appeal in candidates:
        due = appeal.current_due
        field = STAGE_DEADLINE_FIELD[Stage(appeal.stage)]
        with transaction.atomic():
            if not _claim(appeal, "overdue_marked_for", due):
                continue
            Appeal.objects.filter(pk=appeal.pk).update(was_overdue=True)
            AppealEvent.objects.create(
                appeal_id=appeal.pk,
                at=now,
                action="overdue",
                actor_role="系统",
                stage_from=appeal.stage,
                stage_to=appeal.stage,
                is_public=False,
                note=f"已超过{WHAT[field]}期限（{timezone.localtime(due):%Y-%m-%d %H:%M}）。",
            )
            transaction.on_commit(
                partial(notifications.send, "overdue", appeal_id=appeal.pk, what=WHAT[field])
            )
        marked += 1
    return marked


def remind_due_soon(*, now: Any = None, limit: int = 1000) -> int:
    """Remind whoever must act when the current deadline falls within one working day."""
    from qifu.appeals import notifications
    from qifu.notifications.services import notify

    now = now or timezone.now()
    horizon = deadline_after(start=now, working_days=1).due_at
    candidates = (
        _with_current_due(Appeal.objects.filter(stage__in=list(STAGE_DEADLINE_FIELD)))
        .filter(current_due__gt=now, current_due__lte=horizon)
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("current_due")))
        .only(
            "id",
            "number",
            "title",
            "stage",
            "department_id",
            "enterprise_id",
            "dispatch_due_at",
            "respond_due_at",
            "followup_due_at",
        )[:limit]
    )
    sent = 0
    for appeal in candidates:
        due = appeal.current_due
        with transaction.atomic():
            if not _claim(appeal, "reminded_for", due):
                continue
            users = notifications.reminder_targets(appeal)
            if users:
                from django.urls import reverse

                notify(
                    users=users,
                    code="deadline_reminder",
                    context={"subject": f"诉求{appeal.number}{appeal.title}", "due_at": due},
                    url=reverse("appeals:detail", args=[appeal.pk]),
                )
        sent += 1
    return sent


def sweep() -> dict[str, int]:
    """The scheduled job: reminders first, then overdue marking."""
    return {"reminded": remind_due_soon(), "overdue": mark_overdue()}
