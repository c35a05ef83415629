"""Plan and prediction of a project's items: pure functions over dates and the working-day calendar.

Conventions: an item with a limit of N working days that starts on working day D ends on the Nth
working day counting D itself (a limit of 0, e.g. 备案 online, ends the day it starts); an item
starts on the working day after the last of its prerequisites ends, or on the project's start.
The prediction walks the same graph from what actually happened: finished items keep their
actual dates, an item in progress ends its limit after its actual start (today at the earliest,
when it is already late), and an item not started begins no earlier than today or its plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qifu.projects.models import CLOSED_ITEM_STATUSES, STAGE_ORDER, ItemStatus, Stage
from qifu.workdays.calendar import WorkCalendar


@dataclass(frozen=True)
class PlanInput:
    key: Hashable
    working_days: int
    depends: tuple[Hashable, ...] = ()
    stage: str = ""
    status: str = ItemStatus.NOT_STARTED
    actual_start_on: dt.date | None = None
    actual_end_on: dt.date | None = None
    planned_start_on: dt.date | None = None


@dataclass(frozen=True)
class Span:
    start: dt.date
    end: dt.date


def _on_or_after(cal: WorkCalendar, day: dt.date) -> dt.date:
    return day if cal.is_workday(day) else cal.next_workday(day)


def _end(cal: WorkCalendar, start: dt.date, working_days: int) -> dt.date:
    return cal.add_working_days(start, max(working_days - 1, 0))


def dependency_order(items: Sequence[PlanInput]) -> list[PlanInput]:
    """Items with every prerequisite before them, otherwise in the given order; cycles are cut."""
    by_key = {i.key: i for i in items}
    done: set[Hashable] = set()
    visiting: set[Hashable] = set()
    ordered: list[PlanInput] = []

    def visit(item: PlanInput) -> None:
        if item.key in done or item.key in visiting:
            return
        visiting.add(item.key)
        for key in item.depends:
            if key in by_key:
                visit(by_key[key])
        visiting.discard(item.key)
        done.add(item.key)
        ordered.append(item)

    for item in items:
        visit(item)
    return ordered


def plan(
    items: Sequence[PlanInput], *, start_on: dt.date, calendar: WorkCalendar | None = None
) -> dict[Hashable, Span]:
    """Planned start and end of each item from the project's planned start."""
    cal = calendar or WorkCalendar()
    spans: dict[Hashable, Span] = {}
    first = _on_or_after(cal, start_on)
    for item in dependency_order(items):
        ends = [spans[k].end for k in item.depends if k in spans]
        start = cal.next_workday(max(ends)) if ends else first
        spans[item.key] = Span(start, _end(cal, start, item.working_days))
    return spans


def predict(
    items: Sequence[PlanInput], *, today: dt.date, calendar: WorkCalendar | None = None
) -> dict[Hashable, Span | None]:
    """Predicted (or, for finished items, actual) span of each item; None for a waived item
    that has no prerequisite to wait for."""
    cal = calendar or WorkCalendar()
    now = _on_or_after(cal, today)
    spans: dict[Hashable, Span | None] = {}
    for item in dependency_order(items):
        ends = [s.end for k in item.depends if (s := spans.get(k)) is not None]
        if item.status == ItemStatus.DONE and item.actual_end_on:
            start = item.actual_start_on or item.actual_end_on
            spans[item.key] = Span(start, item.actual_end_on)
        elif item.status == ItemStatus.WAIVED:
            # Nothing to do: dependents wait only for this item's own prerequisites.
            spans[item.key] = Span(max(ends), max(ends)) if ends else None
        elif item.status == ItemStatus.IN_PROGRESS and item.actual_start_on:
            end = _end(cal, item.actual_start_on, item.working_days)
            spans[item.key] = Span(item.actual_start_on, max(end, now))
        else:
            start = cal.next_workday(max(ends)) if ends else now
            start = max(start, now)
            if item.planned_start_on and item.planned_start_on > start:
                start = _on_or_after(cal, item.planned_start_on)
            spans[item.key] = Span(start, _end(cal, start, item.working_days))
    return spans


def dependents_of(items: Sequence[PlanInput], key: Hashable) -> set[Hashable]:
    """Keys of every item that waits, directly or through others, for the item `key`."""
    waiting: dict[Hashable, list[Hashable]] = {}
    for item in items:
        for prerequisite in item.depends:
            waiting.setdefault(prerequisite, []).append(item.key)
    found: set[Hashable] = set()
    todo = [key]
    while todo:
        for follower in waiting.get(todo.pop(), []):
            if follower not in found and follower != key:
                found.add(follower)
                todo.append(follower)
    return found


def cascade(
    items: Sequence[PlanInput],
    *,
    moved: Hashable,
    span: Span,
    planned: Mapping[Hashable, Span | None],
    calendar: WorkCalendar | None = None,
) -> dict[Hashable, Span]:
    """New planned spans of the open items that follow `moved`, now planned as `span`.

    Each follower is replanned by the rule of `plan()`: it starts on the working day after the
    last of its prerequisites ends (their current plan, or the new one when they moved too) and
    lasts its limit. Closed items keep their dates (what is done is not replanned) and their
    followers wait for those dates. Only the spans that change are returned; `moved` is not.
    """
    cal = calendar or WorkCalendar()
    followers = dependents_of(items, moved)
    spans: dict[Hashable, Span | None] = {**planned, moved: span}
    changed: dict[Hashable, Span] = {}
    for item in dependency_order(items):
        if item.key not in followers or item.status in CLOSED_ITEM_STATUSES:
            continue
        ends = [s.end for k in item.depends if (s := spans.get(k)) is not None]
        if not ends:
            continue
        start = cal.next_workday(max(ends))
        new = Span(start, _end(cal, start, item.working_days))
        spans[item.key] = new
        if new != planned.get(item.key):
            changed[item.key] = new
    return changed


def recalendar(
    items: Sequence[PlanInput],
    *,
    planned: Mapping[Hashable, Span | None],
    pinned: Iterable[Hashable] = (),
    calendar: WorkCalendar | None = None,
) -> dict[Hashable, Span]:
    """New planned spans of the open items under the current calendar (after its holidays
    changed): only what the calendar moves, nothing the steward decided.

    Closed items, items without a plan and `pinned` ones (replanned by hand) keep their dates.
    Another open item keeps its planned start (the next working day if that day is now off)
    unless a prerequisite's end moved, when it starts on the working day after its latest
    prerequisite ends, as `plan()` and `cascade()` do; it then lasts its limit. Only the spans
    that change are returned.
    """
    cal = calendar or WorkCalendar()
    fixed = set(pinned)
    spans: dict[Hashable, Span | None] = dict(planned)
    changed: dict[Hashable, Span] = {}
    for item in dependency_order(items):
        span = planned.get(item.key)
        if span is None or item.status in CLOSED_ITEM_STATUSES or item.key in fixed:
            continue
        if any(k in changed for k in item.depends):
            ends = [s.end for k in item.depends if (s := spans.get(k)) is not None]
            start = cal.next_workday(max(ends))
        else:
            start = _on_or_after(cal, span.start)
        new = Span(start, _end(cal, start, item.working_days))
        if new != span:
            spans[item.key] = changed[item.key] = new
    return changed


def completion(spans: Iterable[Span | None]) -> dt.date | None:
    ends = [s.end for s in spans if s is not None]
    return max(ends) if ends else None


def slip_days(
    planned: dt.date | None, predicted: dt.date | None, calendar: WorkCalendar | None = None
) -> int:
    """Working days the prediction lies after the plan (negative: ahead of plan)."""
    if planned is None or predicted is None:
        return 0
    return (calendar or WorkCalendar()).working_days_between(planned, predicted)


# --- the view of a whole project ----------------------------------------------------------------


@dataclass
class ItemRow:
    item: Any
    predicted: Span | None
    slip: int
    is_late: bool  # open and its planned end has passed


@dataclass
class StageRow:
    stage: str
    label: str
    rows: list[ItemRow] = field(default_factory=list)
    planned_end: dt.date | None = None
    predicted_end: dt.date | None = None
    actual_end: dt.date | None = None
    is_done: bool = False
    is_late: bool = False


@dataclass
class ProjectSchedule:
    stages: list[StageRow]
    planned_completion: dt.date | None
    predicted_completion: dt.date | None
    slip: int
    progress: int  # percent of items done or waived
    current_stage: str  # the first stage with an open item; the last when all are closed

    @property
    def current_stage_label(self) -> str:
        return str(Stage(self.current_stage).label)

    @property
    def rows(self) -> list[ItemRow]:
        return [row for stage in self.stages for row in stage.rows]


def inputs_from_items(items: Sequence[Any]) -> list[PlanInput]:
    """PlanInputs of ProjectItem rows (their `depends_on` prefetched)."""
    return [
        PlanInput(
            key=item.pk,
            working_days=item.working_days,
            depends=tuple(d.pk for d in item.depends_on.all()),
            stage=item.stage,
            status=item.status,
            actual_start_on=item.actual_start_on,
            actual_end_on=item.actual_end_on,
            planned_start_on=item.planned_start_on,
        )
        for item in items
    ]


def project_schedule(
    items: Sequence[Any],
    *,
    today: dt.date,
    planned_completion: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> ProjectSchedule:
    """Plan, actual and prediction of a project's items (ordered, `depends_on` prefetched)."""
    cal = calendar or WorkCalendar()
    predicted = predict(inputs_from_items(items), today=today, calendar=cal)
    if planned_completion is None:
        planned_completion = max(
            (i.planned_end_on for i in items if i.planned_end_on), default=None
        )
    stages = {s: StageRow(stage=s, label=str(Stage(s).label)) for s in STAGE_ORDER}
    for item in items:
        span = predicted.get(item.pk)
        end = item.actual_end_on if item.status == ItemStatus.DONE else (span.end if span else None)
        is_closed = item.status in CLOSED_ITEM_STATUSES
        row = ItemRow(
            item=item,
            predicted=span,
            slip=slip_days(item.planned_end_on, end, cal)
            if item.status != ItemStatus.WAIVED
            else 0,
            is_late=bool(not is_closed and item.planned_end_on and item.planned_end_on < today),
        )
        stages[item.stage].rows.append(row)
    for row_stage in stages.values():
        if not row_stage.rows:
            continue
        closed = [r.item.status in CLOSED_ITEM_STATUSES for r in row_stage.rows]
        row_stage.is_done = all(closed)
        row_stage.planned_end = max(
            (r.item.planned_end_on for r in row_stage.rows if r.item.planned_end_on), default=None
        )
        row_stage.predicted_end = completion(r.predicted for r in row_stage.rows)
        if row_stage.is_done:
            row_stage.actual_end = max(
                (r.item.actual_end_on for r in row_stage.rows if r.item.actual_end_on),
                default=None,
            )
        row_stage.is_late = bool(
            not row_stage.is_done and row_stage.planned_end and row_stage.planned_end < today
        )
    used = [s for s in stages.values() if s.rows]
    total = sum(len(s.rows) for s in used)
    closed_count = sum(1 for s in used for r in s.rows if r.item.status in CLOSED_ITEM_STATUSES)
    current = next((s.stage for s in used if not s.is_done), used[-1].stage if used else "")
    predicted_completion = completion(predicted.values())
    return ProjectSchedule(
        stages=used,
        planned_completion=planned_completion,
        predicted_completion=predicted_completion,
        slip=slip_days(planned_completion, predicted_completion, cal),
        progress=round(100 * closed_count / total) if total else 0,
        current_stage=current or Stage.APPROVAL,
    )
