"""Reply-rate monitoring (measures, article 7: 工作动态 回复率数据监测).

For each department and period: how many items it received, replied to, and replied to on time.

- Appeals: each dispatch (`Assignment`) is one item received by the department it was sent to
  in the period; replied when the department responded; on time when it responded by the
  dispatch's statutory `respond_due_at` (an approved extension does not make a late answer on
  time). A dispatch the department returned stays its item, neither replied nor on time, and is
  counted as a return (退回 counts against the department, art. 19).
- Messages (我要留言) received in the period: a message converted into an appeal belongs to the
  department that appeal was dispatched to and counts as replied (on time) when the appeal was
  responded to (by its respond_due_at); a message answered directly belongs to the answerer's
  department (the platform agency) and is on time when answered within
  MESSAGE_REPLY_WORKING_DAYS working days; an unanswered message, or one converted but not yet
  dispatched, belongs to the agency that runs the 办事服务 section.
- Consultations (我要咨询, the assistant's hand-offs to a person) belong to the agency that runs
  办事服务; replied at the first staff message, on time by the reply time promised to the
  enterprise (`answer_expected_at`).
- Another source adds a function that yields `Item`s to ITEM_SOURCES.

`reply_rates(start=…, end=…)` returns one row per department and source; a later assessment
issue consumes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from django.db.models import OuterRef, Subquery

from qifu.accounts.models import Department, DepartmentKind, Section
from qifu.appeals.models import Assignment
from qifu.assistant.models import Consultation, ConsultationMessage
from qifu.board.models import Message, MessageStatus
from qifu.workdays.calendar import deadline_after

MESSAGE_REPLY_WORKING_DAYS = 3

Period = Literal["week", "month", "quarter"]
PERIODS: dict[str, str] = {"week": "按周", "month": "按月", "quarter": "按季度"}
SOURCES: dict[str, str] = {"appeal": "诉求办件", "message": "留言", "consultation": "咨询"}


@dataclass(frozen=True)
class Item:
    """One thing a department had to reply to."""

    source: str
    department_id: int | None
    replied: bool
    on_time: bool
    returned: bool = False
    # The primary key of the thing replied to (the dispatch, message or consultation), so a figure
    # can be opened to its cases (qifu/assessment).
    ref: int | None = None


@dataclass(frozen=True)
class ReplyRateRow:
    department_id: int | None
    department: str
    source: str
    received: int
    replied: int
    on_time: int
    returned: int = 0

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)

    @property
    def reply_rate(self) -> float | None:
        """Replied / received, 0–1; None when nothing was received."""
        return self.replied / self.received if self.received else None

    @property
    def on_time_rate(self) -> float | None:
        """Replied on time / received, 0–1; None when nothing was received."""
        return self.on_time / self.received if self.received else None


def _services_agency_id() -> int | None:
    for department in Department.objects.filter(kind=DepartmentKind.AGENCY).order_by("pk"):
        if Section.SERVICES in (department.sections or []):
            return department.pk
    return None


def appeal_items(start: dt.datetime, end: dt.datetime) -> Iterator[Item]:
    rows = Assignment.objects.filter(dispatched_at__gte=start, dispatched_at__lt=end).values_list(
        "department_id", "responded_at", "respond_due_at", "returned_at", "pk"
    )
    for department_id, responded_at, due_at, returned_at, pk in rows:
        returned = returned_at is not None
        yield Item(
            source="appeal",
            department_id=department_id,
            replied=responded_at is not None and not returned,
            on_time=not returned and _on_time(responded_at, due_at),
            returned=returned,
            ref=pk,
        )


def _on_time(replied_at: dt.datetime | None, due_at: dt.datetime | None) -> bool:
    return replied_at is not None and (due_at is None or replied_at <= due_at)


def message_items(start: dt.datetime, end: dt.datetime) -> Iterator[Item]:
    agency_id = _services_agency_id()
    messages = Message.objects.filter(created_at__gte=start, created_at__lt=end).select_related(
        "answered_by", "appeal"
    )
    for message in messages.iterator(chunk_size=500):
        appeal = message.appeal
        if message.status == MessageStatus.CONVERTED and appeal and appeal.department_id:
            yield Item(
                source="message",
                department_id=appeal.department_id,
                replied=appeal.responded_at is not None,
                on_time=_on_time(appeal.responded_at, appeal.respond_due_at),
                ref=message.pk,
            )
        elif message.status == MessageStatus.ANSWERED and message.answered_at:
            due_at = deadline_after(
                start=message.created_at, working_days=MESSAGE_REPLY_WORKING_DAYS
            ).due_at
            answerer = message.answered_by
            yield Item(
                source="message",
                department_id=(answerer.department_id if answerer else None) or agency_id,
                replied=True,
                on_time=message.answered_at <= due_at,
                ref=message.pk,
            )
        else:
            yield Item(
                source="message",
                department_id=agency_id,
                replied=False,
                on_time=False,
                ref=message.pk,
            )


def consultation_items(start: dt.datetime, end: dt.datetime) -> Iterator[Item]:
    """我要咨询 hand-offs: answered by platform staff, on time by the reply time promised."""
    agency_id = _services_agency_id()
    first_replies = (
        ConsultationMessage.objects.filter(consultation=OuterRef("pk"), is_staff_reply=True)
        .order_by("at")
        .values("at")[:1]
    )
    rows = (
        Consultation.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(first_reply_at=Subquery(first_replies))
        .values_list("first_reply_at", "answer_expected_at", "pk")
    )
    for replied_at, expected_at, pk in rows.iterator(chunk_size=500):
        yield Item(
            source="consultation",
            department_id=agency_id,
            replied=replied_at is not None,
            on_time=_on_time(replied_at, expected_at),
            ref=pk,
        )


ITEM_SOURCES: list[Callable[[dt.datetime, dt.datetime], Iterable[Item]]] = [
    appeal_items,
    message_items,
    consultation_items,
]


def reply_rates(*, start: dt.datetime, end: dt.datetime) -> list[ReplyRateRow]:
    """Rows per (department, source) for items received in [start, end), by department name."""
    counts: dict[tuple[int | None, str], list[int]] = {}
    for source in ITEM_SOURCES:
        for item in source(start, end):
            count = counts.setdefault((item.department_id, item.source), [0, 0, 0, 0])
            count[0] += 1
            count[1] += item.replied
            count[2] += item.on_time
            count[3] += item.returned
    names = dict(
        Department.objects.filter(pk__in={k[0] for k in counts if k[0]}).values_list("pk", "name")
    )
    rows = [
        ReplyRateRow(
            department_id=department_id,
            department=names.get(department_id, "未指定单位") if department_id else "未指定单位",
            source=source,
            received=received,
            replied=replied,
            on_time=on_time,
            returned=returned,
        )
        for (department_id, source), (received, replied, on_time, returned) in counts.items()
    ]
    order = list(SOURCES)
    rows.sort(key=lambda r: (r.department, order.index(r.source) if r.source in order else 99))
    return rows


def period_bounds(*, period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the week/month/quarter containing `day`, and the first day after it."""
    if period == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=7)
    if period == "quarter":
        month = (day.month - 1) // 3 * 3 + 1
        first = day.replace(month=month, day=1)
        months = 3
    else:
        first = day.replace(day=1)
        months = 1
    year, month = divmod(first.month - 1 + months, 12)
    return first, dt.date(first.year + year, month + 1, 1)
