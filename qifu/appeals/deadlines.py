"""The appeals' deadline source: open deadlines follow a change of a year's holidays.

Registered in AppealsConfig.ready() with qifu.workdays.recompute. Each deadline is recomputed
from what it was computed from (qifu/appeals/services.py):

- 派发 (received, triaged): the same-day rule from the intake, from the return of the last
  dispatch, or from the enterprise's unsatisfied outcome that sent the appeal back;
- 应答 (dispatched): 3 working days from the current dispatch, then each approved extension of
  that dispatch from the later of the deadline it extended and the moment it was approved (the
  current model: an approved extension replaces the respond deadline);
- 回访 (responded): 2 working days from the response.

`_recomputed()` is the one function that knows those rules; the rest is bookkeeping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from qifu.appeals.models import (
    AWAITING_DISPATCH,
    Appeal,
    AssignmentOutcome,
    Extension,
    ExtensionStatus,
    Satisfaction,
    Stage,
)
from qifu.workdays.calendar import WorkCalendar
from qifu.workdays.recompute import affected_from, change_note, count_moved

WHAT = {"dispatch_due_at": "派发", "respond_due_at": "应答", "followup_due_at": "回访"}


@dataclass
class Recomputed:
    """The current stage's deadline as the calendar now gives it."""

    column: str
    due_at: dt.datetime
    warning: str
    extensions: dict[int, dt.datetime] = field(default_factory=dict)


def _dispatch_start(appeal: Appeal) -> dt.datetime:
    last = appeal.assignments.order_by("-round").first()
    if last is None:
        return appeal.received_at
    if last.returned_at is not None:
        return last.returned_at
    unsatisfied = (
        appeal.evaluations.filter(assignment=last, satisfaction=Satisfaction.UNSATISFIED)
        .order_by("-created_at")
        .first()
    )
    if last.outcome == AssignmentOutcome.UNSATISFIED and unsatisfied is not None:
        return unsatisfied.created_at
    return appeal.received_at


def _recomputed(appeal: Appeal, cal: WorkCalendar) -> Recomputed | None:
    """The current stage's deadline recomputed by the rules of services.py (see above)."""
    from qifu.appeals.services import FOLLOWUP_WORKING_DAYS, RESPOND_WORKING_DAYS

    if appeal.stage in AWAITING_DISPATCH:
        start = _dispatch_start(appeal)
        deadline = cal.deadline_after(start=start, working_days=0)
        return Recomputed("dispatch_due_at", deadline.due_at, deadline.calendar_warning or "")
    if appeal.stage == Stage.DISPATCHED:
        assignment = appeal.assignments.order_by("-round").first()
        if assignment is None:
            return None
        start = assignment.dispatched_at
        due = cal.deadline_after(start=start, working_days=RESPOND_WORKING_DAYS).due_at
        extensions: dict[int, dt.datetime] = {}
        approved = Extension.objects.filter(
            assignment=assignment, status=ExtensionStatus.APPROVED
        ).order_by("decided_at", "id")
        for extension in approved:
            base = max(due, extension.decided_at or due)
            due = cal.deadline_after(start=base, working_days=extension.working_days).due_at
            extensions[extension.pk] = due
        warning = cal.warning_for(start, due) or ""
        return Recomputed("respond_due_at", due, warning, extensions)
    if appeal.stage == Stage.RESPONDED and appeal.responded_at is not None:
        deadline = cal.deadline_after(start=appeal.responded_at, working_days=FOLLOWUP_WORKING_DAYS)
        return Recomputed("followup_due_at", deadline.due_at, deadline.calendar_warning or "")
    return None


def _apply(appeal_id: int, years: frozenset[int], cal: WorkCalendar) -> bool:
    """Recompute one appeal under its lock; True when its deadline moved (and was recorded)."""
    from qifu.appeals.models import Assignment
    from qifu.appeals.services import TransitionNotAllowed, _event, _notify, _transition

    try:
        with _transition(appeal_id, "deadline_recomputed") as (locked, pending):
            new = _recomputed(locked, cal)
            if new is None:
                return False
            old = getattr(locked, new.column)
            fields = []
            if locked.calendar_warning != new.warning:
                locked.calendar_warning = new.warning
                fields.append("calendar_warning")
            moved = old != new.due_at
            if moved:
                setattr(locked, new.column, new.due_at)
                fields.append(new.column)
                if new.column == "respond_due_at":
                    current = locked.assignments.order_by("-round").first()
                    if current is not None:
                        Assignment.objects.filter(pk=current.pk).update(respond_due_at=new.due_at)
                    for pk, due in new.extensions.items():
                        Extension.objects.filter(pk=pk).update(new_due_at=due)
            if not fields:
                return False
            locked.save(update_fields=[*fields, "updated_at"])
            if moved:
                what = WHAT[new.column]
                _event(
                    locked,
                    action="deadline_recomputed",
                    actor=None,
                    stage_from=locked.stage,
                    note=change_note(
                        what=what, old=old, new=new.due_at, years=years, warning=new.warning
                    ),
                    data={
                        "field": new.column,
                        "old": timezone.localtime(old).isoformat() if old else None,
                        "new": timezone.localtime(new.due_at).isoformat(),
                        "years": sorted(years),
                    },
                )
                _notify(pending, "deadline_recomputed", locked, what=what)
            return moved
    except (TransitionNotAllowed, Appeal.DoesNotExist):
        return False  # closed or deleted meanwhile: nothing to keep right


def appeal_deadlines_recompute(years: frozenset[int]) -> int:
    """The deadline source: every open appeal whose current deadline may lie in the years."""
    since = affected_from(years)
    candidates = (
        Appeal.objects.filter(due_at__gte=since)
        .exclude(stage=Stage.CLOSED)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)
    )
    return count_moved(candidates, lambda pk, cal: _apply(pk, years, cal))
