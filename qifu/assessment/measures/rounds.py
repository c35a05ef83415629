"""Measures over dispatch rounds (appeals' Assignment rows): response, contact, follow-up,
returns, dissatisfaction and supervision."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import F, Q

from qifu.assessment.measures.base import Case, Context, hours_label, local_label

# --- dispatch rounds (Assignment) ----------------------------------------------------------------


def _rounds() -> Any:
    from qifu.appeals.models import Assignment

    return Assignment.objects.select_related("appeal").only(
        "pk",
        "round",
        "department_id",
        "dispatched_at",
        "respond_due_at",
        "contact_due_at",
        "extended_due_at",
        "extension_days",
        "first_contact_at",
        "responded_at",
        "returned_at",
        "met_extended_due",
        "result",
        "appeal__id",
        "appeal__number",
        "appeal__title",
        "appeal__supervised_at",
    )


def _round_case(a: Any, at: dt.datetime | None, detail: str, **extra: Any) -> Case:
    return Case(
        kind="round",
        ref=a.appeal.pk,
        number=a.appeal.number,
        title=a.appeal.title,
        department_id=a.department_id,
        at=at,
        detail=f"第{a.round}次派发：{detail}",
        sub=a.pk,
        **extra,
    )


def dispatched(ctx: Context) -> Iterator[Case]:
    for a in _rounds().filter(dispatched_at__gte=ctx.start, dispatched_at__lt=ctx.end):
        yield _round_case(a, a.dispatched_at, f"派发于{local_label(a.dispatched_at)}")


def on_time_rate(ctx: Context) -> Iterator[Case]:
    for a in _rounds().filter(respond_due_at__gte=ctx.start, respond_due_at__lt=ctx.end):
        due = a.respond_due_at
        if a.returned_at is not None and a.returned_at <= due:
            yield _round_case(a, due, "期限内退回，未应答", hit=False)
        elif a.responded_at is not None and a.responded_at <= due:
            yield _round_case(a, due, f"法定期限内应答（{local_label(a.responded_at)}）")
        elif a.responded_at is not None:
            yield _round_case(a, due, f"超期应答，晚{hours_label(a.responded_at - due)}", hit=False)
        else:
            yield _round_case(a, due, f"法定期限{local_label(due)}届满未应答", hit=False)


def late_response(ctx: Context) -> Iterator[Case]:
    rows = _rounds().filter(
        responded_at__gte=ctx.start, responded_at__lt=ctx.end, responded_at__gt=F("respond_due_at")
    )
    for a in rows:
        detail = f"应答晚于法定期限{hours_label(a.responded_at - a.respond_due_at)}"
        if a.extended_due_at is not None:
            met = "内" if a.met_extended_due else "后"
            detail += f"（已延期{a.extension_days}个工作日，在延期期限{met}应答）"
        yield _round_case(a, a.responded_at, detail)


def extended(ctx: Context) -> Iterator[Case]:
    from qifu.appeals.models import Extension, ExtensionStatus

    rows = Extension.objects.filter(
        status=ExtensionStatus.APPROVED, decided_at__gte=ctx.start, decided_at__lt=ctx.end
    ).select_related("assignment", "assignment__appeal")
    for ext in rows:
        a = ext.assignment
        yield _round_case(a, ext.decided_at, f"同意延期{ext.working_days}个工作日")


def late_contact(ctx: Context) -> Iterator[Case]:
    rows = _rounds().filter(contact_due_at__gte=ctx.start, contact_due_at__lt=ctx.end)
    for a in rows:
        due = a.contact_due_at
        if a.first_contact_at is None and a.returned_at is not None and a.returned_at <= due:
            continue  # returned as misrouted before contact was due: counted as a return
        if a.first_contact_at is None:
            yield _round_case(a, due, f"联系期限{local_label(due)}届满仍未联系企业")
        elif a.first_contact_at > due:
            yield _round_case(a, due, f"首次联系晚于期限{hours_label(a.first_contact_at - due)}")


def late_followup(ctx: Context) -> Iterator[Case]:
    """The platform's own 电话回访 within 2 working days of the response (art. 16)."""
    from qifu.appeals.models import Evaluation
    from qifu.reports.selectors import _services_agency_id
    from qifu.workdays.calendar import WorkCalendar

    calendar = WorkCalendar()
    days = settings.APPEAL_FOLLOWUP_WORKING_DAYS
    rows = list(
        _rounds().filter(
            responded_at__gte=ctx.start - dt.timedelta(days=31), responded_at__lt=ctx.end
        )
    )
    evaluations: dict[int, list[Any]] = defaultdict(list)
    for e in (
        Evaluation.objects.filter(assignment__in=[a.pk for a in rows])
        .select_related("by")
        .order_by("created_at", "id")
    ):
        if e.assignment_id is not None:
            evaluations[e.assignment_id].append(e)
    agency = _services_agency_id()
    for a in rows:
        due = calendar.deadline_after(start=a.responded_at, working_days=days).due_at
        if not ctx.start <= due < ctx.end:
            continue
        mine = evaluations.get(a.pk, [])
        # An unsatisfied online rating sends the appeal back for re-dispatch: no call is due.
        if any(e.source == "enterprise" and not e.satisfied and e.created_at <= due for e in mine):
            continue
        calls = [e for e in mine if e.source == "followup"]
        call = calls[0] if calls else None
        when = (call.contacted_at or call.created_at) if call else None
        department = (call.by.department_id if call and call.by else None) or agency
        if department is None or (when is not None and when <= due):
            continue
        late = (
            f"回访晚于期限{hours_label(when - due)}"
            if when
            else f"回访期限{local_label(due)}届满未回访"
        )
        yield Case(
            kind="round",
            ref=a.appeal.pk,
            number=a.appeal.number,
            title=a.appeal.title,
            department_id=department,
            at=due,
            detail=f"第{a.round}次派发应答后：{late}",
            sub=a.pk,
        )


def unfinished(ctx: Context) -> Iterator[Case]:
    """Rounds still open at the end of the period and past their statutory limit, by age."""
    rows = (
        _rounds()
        .filter(dispatched_at__lt=ctx.end, respond_due_at__lt=ctx.end)
        .filter(Q(responded_at__isnull=True) | Q(responded_at__gte=ctx.end))
        .filter(Q(returned_at__isnull=True) | Q(returned_at__gte=ctx.end))
    )
    for a in rows:
        age = ctx.end - a.respond_due_at
        yield _round_case(a, a.respond_due_at, f"期末仍未办结，已超过法定期限{hours_label(age)}")


def returns(ctx: Context) -> Iterator[Case]:
    rows = _rounds().filter(returned_at__gte=ctx.start, returned_at__lt=ctx.end)
    for a in rows:
        held = hours_label(a.returned_at - a.dispatched_at)
        yield _round_case(a, a.returned_at, f"持有{held}后退回")


def _unsatisfied_evaluations(ctx: Context) -> list[Any]:
    from qifu.appeals.models import Evaluation, Satisfaction

    return list(
        Evaluation.objects.filter(
            satisfaction=Satisfaction.UNSATISFIED,
            created_at__gte=ctx.start,
            created_at__lt=ctx.end,
            assignment__isnull=False,
        )
        .select_related("assignment", "assignment__appeal")
        .order_by("created_at", "id")
    )


def perfunctory(ctx: Context) -> Iterator[Case]:
    """Responses below the method's minimum content, and dissatisfaction again with a department
    the same appeal was already re-dispatched to after an unsatisfied answer of its own."""
    from qifu.appeals.models import Evaluation, Satisfaction

    minimum = int(ctx.params.get("min_response_chars") or 0)
    seen: set[int] = set()
    if minimum:
        rows = _rounds().filter(responded_at__gte=ctx.start, responded_at__lt=ctx.end)
        for a in rows:
            if len((a.result or "").strip()) < minimum:
                seen.add(a.pk)
                yield _round_case(a, a.responded_at, f"答复内容不足{minimum}字")
    unsatisfied = _unsatisfied_evaluations(ctx)
    earlier = defaultdict(list)
    for e in Evaluation.objects.filter(
        satisfaction=Satisfaction.UNSATISFIED,
        assignment__appeal__in={e.assignment.appeal_id for e in unsatisfied},
    ).values_list("assignment__appeal_id", "assignment__department_id", "assignment__round"):
        earlier[(e[0], e[1])].append(e[2])
    for e in unsatisfied:
        a = e.assignment
        if a.pk in seen:
            continue
        before = [r for r in earlier[(a.appeal_id, a.department_id)] if r < a.round]
        if before:
            seen.add(a.pk)
            yield _round_case(
                a, e.created_at, f"重派本部门后企业再次不满意（前次：第{min(before)}次派发）"
            )


def unsatisfied(ctx: Context) -> Iterator[Case]:
    seen: set[int] = set()
    for e in _unsatisfied_evaluations(ctx):
        if e.assignment_id in seen:
            continue
        seen.add(e.assignment_id)
        source = "电话回访" if e.source == "followup" else "企业在线评价"
        yield _round_case(e.assignment, e.created_at, f"{source}不满意，{e.score}分")


def _rated(ctx: Context) -> Iterator[tuple[Any, Any]]:
    """The results that decide a round: the platform's 电话回访, and the enterprise's unsatisfied
    online ratings (which send the appeal back without a call)."""
    from qifu.appeals.models import Evaluation, Satisfaction

    rows = (
        Evaluation.objects.filter(
            created_at__gte=ctx.start, created_at__lt=ctx.end, assignment__isnull=False
        )
        .filter(Q(source="followup") | Q(satisfaction=Satisfaction.UNSATISFIED))
        .select_related("assignment", "assignment__appeal")
        .order_by("created_at", "id")
    )
    for e in rows:
        yield e, e.assignment


def satisfaction_rate(ctx: Context) -> Iterator[Case]:
    for e, a in _rated(ctx):
        yield _round_case(
            a, e.created_at, f"{e.get_satisfaction_display()}，{e.score}分", hit=e.satisfied
        )


def satisfaction_score(ctx: Context) -> Iterator[Case]:
    for e, a in _rated(ctx):
        yield _round_case(
            a, e.created_at, f"{e.get_satisfaction_display()}，{e.score}分", score=e.score
        )


def _supervised_rounds(ctx: Context) -> Iterator[Any]:
    rows = _rounds().filter(
        appeal__supervised_at__isnull=False,
        respond_due_at__gte=ctx.start,
        respond_due_at__lt=ctx.end,
    )
    for a in rows:
        since = a.appeal.supervised_at
        held_until = a.responded_at or a.returned_at
        if a.dispatched_at >= since or held_until is None or held_until >= since:
            yield a


def supervised(ctx: Context) -> Iterator[Case]:
    for a in _supervised_rounds(ctx):
        yield _round_case(
            a, a.respond_due_at, f"督办件，列入督办于{local_label(a.appeal.supervised_at)}"
        )


def supervised_late(ctx: Context) -> Iterator[Case]:
    for a in _supervised_rounds(ctx):
        due = a.respond_due_at
        if a.responded_at is not None and a.responded_at <= due:
            continue
        begin = max(a.appeal.supervised_at, a.dispatched_at)
        done = a.responded_at or a.returned_at
        took = f"督办后{hours_label(done - begin)}才应答" if done else "督办后至期末仍未应答"
        if done is None:
            took += f"（已{hours_label(ctx.end - begin)}）"
        yield _round_case(a, due, f"超过法定期限{local_label(due)}；{took}")
