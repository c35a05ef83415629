"""One sweep for every workflow with stored deadlines (the deadlines its process table attaches
to its states, qifu/core/workflow.py): a reminder within one working day of the
deadline and an overdue notice once it has passed, each sent once per deadline.

The model carries two marker columns, `reminded_for` and `overdue_marked_for`: the sweep claims a
row with a conditional UPDATE setting the marker to the deadline it acts for, so two workers or a
second run never notify twice, and a new deadline (after an extension, a resubmission) is
reminded again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from qifu.workdays.calendar import deadline_after

if TYPE_CHECKING:
    from qifu.core.workflow import Process


@dataclass(frozen=True)
class DeadlineRule:
    status: str  # the state in which the deadline applies
    field: str  # the deadline column
    what: str  # what must be done by then, e.g. 受理


def rules_of(process: Process) -> list[DeadlineRule]:
    """The sweep's rules, read from the deadlines the process table attaches to its states."""
    return [
        DeadlineRule(state, deadline.swept, deadline.what_for(state))
        for deadline in process.deadlines
        if deadline.remind
        for state in process.states.values
        if state in deadline.states and state not in deadline.quiet
    ]


def _claim(process: Process, obj: Any, rule: DeadlineRule, marker: str) -> bool:
    due = getattr(obj, rule.field)
    updated = (
        process.model._default_manager.filter(
            pk=obj.pk, **{process.state_field: rule.status, rule.field: due}
        )
        .filter(Q(**{f"{marker}__isnull": True}) | ~Q(**{marker: due}))
        .update(**{marker: due})
    )
    return updated == 1


def deadlines_sweep(
    *,
    process: Process,
    queryset: models.QuerySet[Any],
    recipients: Callable[[Any], list[Any]],
    message: Callable[[Any, DeadlineRule, str], tuple[str, str, str]],
    now: dt.datetime | None = None,
    limit: int = 500,
    on_overdue: Callable[[Any, DeadlineRule, dt.datetime], None] | None = None,
) -> dict[str, int]:
    """Remind and report overdue for every deadline of a process; `message(obj, rule, kind)`
    gives (title, body, url); `on_overdue` may write the process's own record of it."""
    from qifu.notifications.services import notify

    now = now or timezone.now()
    horizon = deadline_after(start=now, working_days=1).due_at
    counts = {"reminded": 0, "overdue": 0}
    for rule in rules_of(process):
        base = queryset.filter(**{process.state_field: rule.status, f"{rule.field}__isnull": False})
        batches = (
            (
                "reminded",
                "reminded_for",
                base.filter(**{f"{rule.field}__gt": now, f"{rule.field}__lte": horizon}).filter(
                    Q(reminded_for__isnull=True) | ~Q(reminded_for=F(rule.field))
                ),
            ),
            (
                "overdue",
                "overdue_marked_for",
                base.filter(**{f"{rule.field}__lte": now}).filter(
                    Q(overdue_marked_for__isnull=True) | ~Q(overdue_marked_for=F(rule.field))
                ),
            ),
        )
        for kind, marker, pending in batches:
            for obj in pending[:limit]:
                with transaction.atomic():
                    if not _claim(process, obj, rule, marker):
                        continue
                    if kind == "overdue" and on_overdue is not None:
                        on_overdue(obj, rule, now)
                    title, body, url = message(obj, rule, kind)
                    notify(
                        users=recipients(obj),
                        code="generic",
                        context={"title": title, "body": body},
                        url=url,
                        channels=("inbox", "sms") if kind == "overdue" else ("inbox",),
                    )
                counts[kind] += 1
    return counts


def due_text(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%m月%d日 %H:%M")


class _Unchanged(Exception):
    """Nothing moved: leave the step without a trace."""


def process_deadlines_recompute(
    *,
    process: Process,
    years: frozenset[int],
    responsible: Callable[[Any], Any],
    more: Callable[[Any, Any, frozenset[int]], list[str]] | None = None,
) -> int:
    """A change of a year's holidays: compute every open deadline of a process again from what it
    was computed from (its Deadline's start and working days), write 期限调整 on the item's own
    timeline and tell whoever must act; `more(step, calendar, years)` moves deadlines a process
    keeps beside the table's (an appeal's extended date) and returns their notes. Returns how
    many items moved. Idempotent: an item whose deadline does not move gets no entry, only a
    fresher calendar warning."""
    from qifu.core.workflow import TransitionNotAllowed
    from qifu.workdays.calendar import WorkCalendar
    from qifu.workdays.recompute import affected_from, change_note

    since = affected_from(years)
    scope = Q()
    for spec in process.deadlines:
        scope |= Q(**{f"{process.state_field}__in": list(spec.states), f"{spec.field}__gte": since})
    if not process.deadlines:
        return 0
    ids = list(process.model._default_manager.filter(scope).values_list("pk", flat=True))
    calendar = WorkCalendar()
    moved = 0
    for pk in ids:
        try:
            with process.act(pk, "deadline_changed", actor=None) as step:
                notes = _recompute_in_step(step, calendar, years, change_note)
                if more is not None:
                    notes += more(step, calendar, years)
                if not notes:
                    raise _Unchanged
                step.note = "\n".join(notes)
                obj = step.obj
                step.notify(
                    responsible(obj),
                    f"{process.label}期限调整",
                    f"{process.label}{process.number(obj)}：{step.note}",
                )
        except (_Unchanged, TransitionNotAllowed, ObjectDoesNotExist):
            _refresh_warning(process, pk, calendar)
            continue
        moved += 1
    return moved


def _recompute_in_step(step: Any, calendar: Any, years: frozenset[int], note: Any) -> list[str]:
    obj = step.obj
    state = step.process.state_of(obj)
    spec = step.process.deadline_for_state(state)
    if spec is None:
        return []
    start = getattr(obj, spec.start_field) if spec.start_field else None
    days = getattr(obj, spec.days_field) if spec.days_field else spec.days_for(obj)
    old = getattr(obj, spec.field)
    if start is None or days is None or old is None:
        return []
    due = calendar.deadline_after(start=start, working_days=days)
    if hasattr(obj, "calendar_warning"):
        obj.calendar_warning = due.calendar_warning or ""
    if due.due_at == old:
        return []
    setattr(obj, spec.field, due.due_at)
    step.data = {
        "field": spec.field,
        "old": timezone.localtime(old).isoformat(),
        "new": timezone.localtime(due.due_at).isoformat(),
        "years": sorted(years),
    }
    return [
        note(
            what=spec.what_for(state),
            old=old,
            new=due.due_at,
            years=years,
            warning=due.calendar_warning,
        )
    ]


def _refresh_warning(process: Process, pk: Any, calendar: Any) -> None:
    """A deadline that did not move may still stop being provisional (the year was imported)."""
    model = process.model
    if "calendar_warning" not in {f.name for f in model._meta.get_fields()}:
        return
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        return
    spec = process.deadline_for_state(process.state_of(obj))
    due = getattr(obj, spec.field) if spec is not None else None
    if due is None:
        return
    warning = calendar.warning_for(due, due) or ""
    if warning != getattr(obj, "calendar_warning", ""):
        model._default_manager.filter(pk=pk).update(calendar_warning=warning)
