"""The appeals' deadline source: open deadlines follow a change of a year's holidays.

Registered in AppealsConfig.ready() with qifu.workdays.recompute. The table's deadline of the
current stage is computed again from where its clock started (qifu/appeals/workflow.py:
`dispatch_due_from`, `dispatched_at`, `responded_at`); here the round's own dates follow it:
the statutory limit and the first-contact limit of the current dispatch, and the extended date,
counted again from the statutory one through each approved extension of the round.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from qifu.appeals.models import Appeal, Assignment, Extension, ExtensionStatus, Stage
from qifu.appeals.workflow import PROCESS
from qifu.notifications.deadlines import process_deadlines_recompute
from qifu.workdays.recompute import change_note


def _responsible(appeal: Appeal) -> list[Any]:
    from qifu.appeals import notifications

    return notifications.reminder_targets(appeal)


def _round_follows(step: Any, calendar: Any, years: frozenset[int]) -> list[str]:
    """Move the current round's dates with the appeal's; notes for what moved beyond the table."""
    appeal: Appeal = step.obj
    if appeal.stage != Stage.DISPATCHED:
        return []
    assignment = appeal.assignments.order_by("-round").first()
    if assignment is None:
        return []
    changes: dict[str, Any] = {}
    if appeal.respond_due_at and assignment.respond_due_at != appeal.respond_due_at:
        changes["respond_due_at"] = appeal.respond_due_at
    contact = calendar.deadline_after(
        start=assignment.dispatched_at, working_days=settings.APPEAL_CONTACT_WORKING_DAYS
    ).due_at
    if assignment.contact_due_at and contact != assignment.contact_due_at:
        changes["contact_due_at"] = contact
    notes = []
    due: dt.datetime = appeal.respond_due_at or assignment.respond_due_at
    approved = Extension.objects.filter(
        assignment=assignment, status=ExtensionStatus.APPROVED
    ).order_by("decided_at", "id")
    for extension in approved:
        base = max(due, extension.decided_at or due)
        due = calendar.deadline_after(start=base, working_days=extension.working_days).due_at
        if extension.new_due_at != due:
            Extension.objects.filter(pk=extension.pk).update(new_due_at=due)
    if assignment.extended_due_at and due != assignment.extended_due_at:
        notes.append(
            change_note(what="延期后应答", old=assignment.extended_due_at, new=due, years=years)
        )
        changes["extended_due_at"] = due
        appeal.extended_due_at = due
    if changes:
        Assignment.objects.filter(pk=assignment.pk).update(**changes, updated_at=timezone.now())
    return notes


def appeal_deadlines_recompute(years: frozenset[int]) -> int:
    """The deadline source: every open appeal whose current deadline may lie in the years."""
    return process_deadlines_recompute(
        process=PROCESS, years=years, responsible=_responsible, more=_round_follows
    )
