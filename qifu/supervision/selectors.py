"""督办: which cases are on the supervision board, where each stands on the ladder, and the cases
listed for the 通报 (measures arts. 13, 17–19).

A case is on the board while it is open and either
- a 督办件 (`Appeal.is_supervised`: three dissatisfactions with one department, or put under
  supervision by hand), or
- a dispatch round at least SUPERVISION_OVERDUE_WORKING_DAYS working days past the deadline it
  works to (an approved extension's, when there is one: a round inside its approved extra time is
  late in the record, but not yet a matter for the supervisors).

The ladder of a case, each step an action of the appeals process (qifu/appeals/workflow.py) and
a row of its history: 催办 (a notice to the department's leader and handlers), then, still open
SUPERVISION_ESCALATE_WORKING_DAYS working days after the 催办, 列入通报 (the case is listed in the
next period's report; `escalated_cases`). The ladder counts from when the case came onto the
board (`since`: its supervision, or the overdue round's dispatch), so a later overdue round
climbs it again from the first step.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from qifu.accounts.models import Department
from qifu.appeals.models import OPEN_STAGES, Appeal, AppealAction, AppealEvent, Stage
from qifu.workdays.calendar import WorkCalendar

LEVELS = {0: "未催办", 1: "已催办", 2: "已列入通报"}
KINDS = {"supervised": "督办件", "overdue": "长期超期派单"}


def working_days_before(now: dt.datetime, days: int, calendar: WorkCalendar | None = None) -> Any:
    """The same time of day `days` working days before `now` (local time)."""
    local = timezone.localtime(now)
    day = (calendar or WorkCalendar()).add_working_days(local.date(), -days)
    return dt.datetime.combine(day, local.timetz())


@dataclass(frozen=True)
class Cutoffs:
    now: dt.datetime
    overdue: dt.datetime  # a round due before this is long overdue
    urge: dt.datetime  # on the board since before this: 催办 due
    escalate: dt.datetime  # urged before this and still open: 通报 due


def cutoffs(now: dt.datetime | None = None) -> Cutoffs:
    now = now or timezone.now()
    calendar = WorkCalendar()
    return Cutoffs(
        now=now,
        overdue=working_days_before(now, settings.SUPERVISION_OVERDUE_WORKING_DAYS, calendar),
        urge=working_days_before(now, settings.SUPERVISION_URGE_WORKING_DAYS, calendar),
        escalate=working_days_before(now, settings.SUPERVISION_ESCALATE_WORKING_DAYS, calendar),
    )


def long_overdue_q(cut: Cutoffs) -> Q:
    return Q(stage=Stage.DISPATCHED, due_at__lt=cut.overdue)


def on_board_q(cut: Cutoffs) -> Q:
    return Q(stage__in=OPEN_STAGES) & (Q(is_supervised=True) | long_overdue_q(cut))


def urge_due_q(cut: Cutoffs) -> Q:
    """No 催办 since the case came onto the board, and it has been there long enough."""
    not_urged = Q(urged_at__isnull=True) | Q(urged_at__lt=F("ladder_since"))
    return not_urged & Q(ladder_since__lt=cut.urge)


def escalate_due_q(cut: Cutoffs) -> Q:
    """Urged on this time on the board, long enough ago, and not listed since the 催办."""
    return (
        Q(urged_at__gte=F("ladder_since"), urged_at__lt=cut.escalate)
        & (Q(escalated_at__isnull=True) | Q(escalated_at__lt=F("urged_at")))
        & ~Q(stage=Stage.CLOSED)
    )


def board(now: dt.datetime | None = None) -> QuerySet[Appeal]:
    """Every case on the board, annotated with `ladder_since`, `level` (0–2) and `next_step`
    ("urge", "escalate" or "")."""
    cut = cutoffs(now)
    qs = Appeal.objects.filter(on_board_q(cut)).annotate(
        ladder_since=Case(
            When(is_supervised=True, then=F("supervised_at")),
            default=F("dispatched_at"),
        )
    )
    return qs.annotate(
        level=Case(
            When(Q(escalated_at__gte=F("ladder_since")), then=Value(2)),
            When(Q(urged_at__gte=F("ladder_since")), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        next_step=Case(
            When(urge_due_q(cut), then=Value("urge")),
            When(escalate_due_q(cut), then=Value("escalate")),
            default=Value(""),
        ),
    )


SORTS = {
    "": ("-level", "due_at", "supervised_at", "id"),
    "due": ("due_at", "id"),
    "supervised": ("supervised_at", "due_at", "id"),
    "department": ("department__sort_order", "department__code", "due_at", "id"),
}


def board_filtered(
    *,
    now: dt.datetime | None = None,
    kind: str = "",
    department: Department | None = None,
    level: int | None = None,
    due: bool = False,
    q: str = "",
    sort: str = "",
) -> QuerySet[Appeal]:
    qs = board(now)
    cut = cutoffs(now)
    if kind == "supervised":
        qs = qs.filter(is_supervised=True)
    elif kind == "overdue":
        qs = qs.filter(long_overdue_q(cut))
    if department is not None:
        qs = qs.filter(
            Q(department=department)
            | Q(department__isnull=True, assignments__department=department)
        ).distinct()
    if level is not None:
        qs = qs.filter(Q(level=level))
    if due:
        qs = qs.exclude(Q(next_step=""))
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q))
    order = SORTS.get(sort, SORTS[""])
    return qs.select_related("department", "enterprise", "category").order_by(*order)


def responsible_department(appeal: Appeal) -> Department | None:
    """The department the case weighs on: the current one, or that of its latest round."""
    if appeal.department_id is not None:
        return appeal.department
    latest = appeal.assignments.select_related("department").order_by("-round").first()
    return latest.department if latest is not None else None


@dataclass(frozen=True)
class EscalatedCase:
    appeal_id: int
    number: str
    title: str
    department: Department | None
    listed_at: dt.datetime
    note: str
    supervised: bool
    closed: bool


def escalated_cases(start: dt.datetime, end: dt.datetime) -> list[EscalatedCase]:
    """The cases listed for the 通报 (列入通报) in [start, end), oldest first, grouped by their
    department's order — for the period report of the assessment (qifu/assessment).

    One row per listing (a case listed twice in the period, after a second 催办, appears
    twice); the department is the one the case weighed on when it was listed. One query.
    """
    events = (
        AppealEvent.objects.filter(action=AppealAction.ESCALATE, at__gte=start, at__lt=end)
        .select_related("appeal", "department")
        .order_by("department__sort_order", "department__code", "at", "id")
    )
    return [
        EscalatedCase(
            appeal_id=e.appeal_id,
            number=e.appeal.number,
            title=e.appeal.title,
            department=e.department,
            listed_at=e.at,
            note=e.note,
            supervised=e.appeal.is_supervised,
            closed=e.appeal.stage == Stage.CLOSED,
        )
        for e in events
    ]
