"""The measures of the assessment (measures, arts. 11, 13, 18, 19), each with its formula beside it.

Every figure is computed from the event records of the other sections, never typed in: each
measure collects the *cases* behind it (a dispatch round, a message, an application, a policy…)
for every department, and its value is derived from that list alone — the count of the cases, or
the share of them that meet the standard (`hit`), or their mean score. So a number and the list it
opens to agree by construction (tested).

Article 19's six faults are the groups: 办理不及时, 事项未办结, 推诿扯皮, 敷衍塞责, 企业不满意,
督办件办理超时; the reply rates, applications within their limits, information freshness (art. 18)
and liaison/administrator coverage (art. 11) are measured beside them.

Times: a period runs from local midnight of its first day to local midnight after its last day;
while it runs, its end is *now* (nothing counts as missed before its time). Limits are the
statutory ones stored on each record (an approved extension never makes a late answer on time).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import F, Q

from qifu.assessment.periods import Period

FAULTS: dict[str, str] = {
    "slow": "办理不及时",
    "unfinished": "事项未办结",
    "shirking": "推诿扯皮",
    "perfunctory": "敷衍塞责",
    "unsatisfied": "企业不满意",
    "supervision": "督办件办理超时",
    "other": "其他考核内容",
}


@dataclass(frozen=True)
class Case:
    """One thing a figure counts."""

    kind: str  # round, message, consultation, matter, declaration, policy, posting, unit
    ref: int  # primary key of what the case's link opens (the appeal of a round)
    number: str
    title: str
    department_id: int
    at: dt.datetime | None  # the time that places it in the period
    detail: str  # why it counts, in Chinese
    hit: bool = True  # rate measures: meets the standard
    score: int | None = None  # mean measures: the score it contributes
    sub: int | None = None  # the round's or item's own key (an assignment) when `ref` is its parent


@dataclass
class Context:
    period: Period
    start: dt.datetime
    end: dt.datetime  # effective end: the period's end, or now while it runs
    params: dict[str, Any] = field(default_factory=dict)


Collector = Callable[[Context], Iterable[Case]]


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    fault: str  # a key of FAULTS
    formula: str
    kind: str  # count | rate | mean
    collect: Collector
    unit: str = "件"
    informational: bool = False  # shown, never scored

    @property
    def fault_label(self) -> str:
        return FAULTS[self.fault]

    def value(self, cases: list[Case]) -> float | int | None:
        """The figure from its cases: a count, a percentage (one decimal) or a mean score."""
        if self.kind == "count":
            return len(cases)
        if not cases:
            return None
        if self.kind == "rate":
            return round(100 * sum(1 for c in cases if c.hit) / len(cases), 1)
        scores = [c.score for c in cases if c.score is not None]
        return round(sum(scores) / len(scores), 2) if scores else None


def _hours(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours >= 48:
        return f"{hours / 24:.1f}天"
    return f"{hours:.1f}小时"


def _local(value: dt.datetime | None) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


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
        yield _round_case(a, a.dispatched_at, f"派发于{_local(a.dispatched_at)}")


def on_time_rate(ctx: Context) -> Iterator[Case]:
    for a in _rounds().filter(respond_due_at__gte=ctx.start, respond_due_at__lt=ctx.end):
        due = a.respond_due_at
        if a.returned_at is not None and a.returned_at <= due:
            yield _round_case(a, due, "期限内退回，未应答", hit=False)
        elif a.responded_at is not None and a.responded_at <= due:
            yield _round_case(a, due, f"法定期限内应答（{_local(a.responded_at)}）")
        elif a.responded_at is not None:
            yield _round_case(a, due, f"超期应答，晚{_hours(a.responded_at - due)}", hit=False)
        else:
            yield _round_case(a, due, f"法定期限{_local(due)}届满未应答", hit=False)


def late_response(ctx: Context) -> Iterator[Case]:
    rows = _rounds().filter(
        responded_at__gte=ctx.start, responded_at__lt=ctx.end, responded_at__gt=F("respond_due_at")
    )
    for a in rows:
        detail = f"应答晚于法定期限{_hours(a.responded_at - a.respond_due_at)}"
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
            yield _round_case(a, due, f"联系期限{_local(due)}届满仍未联系企业")
        elif a.first_contact_at > due:
            yield _round_case(a, due, f"首次联系晚于期限{_hours(a.first_contact_at - due)}")


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
        late = f"回访晚于期限{_hours(when - due)}" if when else f"回访期限{_local(due)}届满未回访"
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
        yield _round_case(a, a.respond_due_at, f"期末仍未办结，已超过法定期限{_hours(age)}")


def returns(ctx: Context) -> Iterator[Case]:
    rows = _rounds().filter(returned_at__gte=ctx.start, returned_at__lt=ctx.end)
    for a in rows:
        held = _hours(a.returned_at - a.dispatched_at)
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
            a, a.respond_due_at, f"督办件，列入督办于{_local(a.appeal.supervised_at)}"
        )


def supervised_late(ctx: Context) -> Iterator[Case]:
    for a in _supervised_rounds(ctx):
        due = a.respond_due_at
        if a.responded_at is not None and a.responded_at <= due:
            continue
        begin = max(a.appeal.supervised_at, a.dispatched_at)
        done = a.responded_at or a.returned_at
        took = f"督办后{_hours(done - begin)}才应答" if done else "督办后至期末仍未应答"
        if done is None:
            took += f"（已{_hours(ctx.end - begin)}）"
        yield _round_case(a, due, f"超过法定期限{_local(due)}；{took}")


# --- messages and consultations (reply rates, qifu/reports) ------------------------------------


def message_reply_rate(ctx: Context) -> Iterator[Case]:
    from qifu.board.models import Message
    from qifu.reports.selectors import message_items

    items = [i for i in message_items(ctx.start, ctx.end) if i.department_id and i.ref]
    messages = Message.objects.in_bulk([i.ref for i in items])
    for item in items:
        m = messages[item.ref]  # type: ignore[index]
        detail = "按时回复" if item.on_time else ("已回复但超时" if item.replied else "未回复")
        yield Case(
            kind="message",
            ref=m.pk,
            number=m.number,
            title=m.title,
            department_id=item.department_id,  # type: ignore[arg-type]
            at=m.created_at,
            detail=detail,
            hit=item.on_time,
        )


def consultation_reply_rate(ctx: Context) -> Iterator[Case]:
    from qifu.assistant.models import Consultation
    from qifu.reports.selectors import consultation_items

    items = [i for i in consultation_items(ctx.start, ctx.end) if i.department_id and i.ref]
    consultations = Consultation.objects.in_bulk([i.ref for i in items])
    for item in items:
        c = consultations[item.ref]  # type: ignore[index]
        detail = "按时回复" if item.on_time else ("已回复但超时" if item.replied else "未回复")
        yield Case(
            kind="consultation",
            ref=c.pk,
            number=f"ZX{c.pk:06d}",
            title=c.question[:60],
            department_id=item.department_id,  # type: ignore[arg-type]
            at=c.created_at,
            detail=detail,
            hit=item.on_time,
        )


# --- applications: 办件 and 项目申报 ------------------------------------------------------------


def matters_late(ctx: Context) -> Iterator[Case]:
    from qifu.matters.models import MatterApplication

    rows = MatterApplication.objects.filter(
        due_at__gte=ctx.start, due_at__lt=ctx.end
    ).select_related("matter")
    for app in rows:
        due: dt.datetime = app.due_at  # type: ignore[assignment]
        if app.decided_at is not None and app.decided_at <= due:
            continue
        detail = (
            f"办结晚于期限{_hours(app.decided_at - due)}"
            if app.decided_at
            else f"办理期限{_local(app.due_at)}届满未办结"
        )
        yield Case(
            kind="matter",
            ref=app.pk,
            number=app.number,
            title=app.matter.name,
            department_id=app.matter.department_id,
            at=app.due_at,
            detail=detail,
        )


def declarations_late(ctx: Context) -> Iterator[Case]:
    from qifu.declarations.models import Application, ApplicationEvent

    rows = list(
        Application.objects.filter(
            Q(accept_due_at__gte=ctx.start, accept_due_at__lt=ctx.end)
            | Q(decide_due_at__gte=ctx.start, decide_due_at__lt=ctx.end)
        ).select_related("call")
    )
    events: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for app_id, action, at in ApplicationEvent.objects.filter(
        application__in=[a.pk for a in rows]
    ).values_list("application_id", "action", "at"):
        events[app_id].append((action, at))
    checks = (
        ("accept_due_at", ("accept", "return", "reject"), "受理"),
        ("decide_due_at", ("approve", "reject", "return"), "审核"),
    )
    for app in rows:
        for due_field, actions, what in checks:
            due = getattr(app, due_field)
            if due is None or not ctx.start <= due < ctx.end:
                continue
            window = due - dt.timedelta(days=60)
            if any(a in actions and window <= at <= due for a, at in events[app.pk]):
                continue
            yield Case(
                kind="declaration",
                ref=app.pk,
                number=app.number,
                title=app.project_name,
                department_id=app.call.provider_department_id,
                at=due,
                detail=f"{what}期限{_local(due)}前未{what}",
            )


# --- information freshness (art. 18) and coverage (art. 11) ------------------------------------

REVIEW_AFTER = dt.timedelta(days=365)


def stale_info(ctx: Context) -> Iterator[Case]:
    from qifu.content.models import FinancingNeed, JobPosting
    from qifu.policies.models import Policy
    from qifu.publishing.models import PublicationStatus

    today = ctx.end.date()
    live = Q(status=PublicationStatus.PUBLISHED, published_at__lt=ctx.end)
    for p in Policy.objects.filter(live).filter(
        Q(expires_on__lt=today)
        | (
            Q(updated_at__lt=ctx.end - REVIEW_AFTER)
            & (Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=ctx.end - REVIEW_AFTER))
        )
    ):
        detail = (
            f"已于{p.expires_on:%Y-%m-%d}失效仍在发布"
            if p.expires_on and p.expires_on < today
            else "发布超过一年未复核更新"
        )
        yield Case(
            kind="policy",
            ref=p.pk,
            number=p.code,
            title=p.title,
            department_id=p.issuer_id,
            at=p.published_at,
            detail=detail,
        )
    for model in (JobPosting, FinancingNeed):
        for item in model.objects.filter(live, expires_on__lt=today).select_related("enterprise"):
            yield Case(
                kind="posting",
                ref=item.pk,
                number=f"{model.KIND}-{item.pk}",
                title=str(getattr(item, "title", "") or item),
                department_id=item.provider_department_id,
                at=item.published_at,
                detail=f"{item.kind_label}已于{item.expires_on:%Y-%m-%d}到期仍在发布，未清理",
            )


def coverage_gap(ctx: Context) -> Iterator[Case]:
    from qifu.accounts.models import Department, DepartmentKind, Role, RoleGrant

    held = set(
        RoleGrant.objects.filter(
            role__in=[Role.LIAISON, Role.DEPARTMENT_ADMIN],
            created_at__lt=ctx.end,
            user__is_active=True,
        ).values_list("role", "department_id")
    )
    for unit in Department.objects.filter(is_active=True, created_at__lt=ctx.end):
        needed = Role.LIAISON if unit.kind == DepartmentKind.AGENCY else Role.DEPARTMENT_ADMIN
        if (needed, unit.pk) in held:
            continue
        who = "联络员" if needed == Role.LIAISON else "管理员"
        yield Case(
            kind="unit",
            ref=unit.pk,
            number=unit.code,
            title=unit.name,
            department_id=unit.pk,
            at=ctx.end,
            detail=f"期末未明确平台{who}（第十一条）",
        )


MEASURES: list[Measure] = [
    Measure(
        "dispatched",
        "派发件数",
        "other",
        "本期派发给本单位的派发轮次数（每派发一次计一件，重派另计）。",
        "count",
        dispatched,
        informational=True,
    ),
    Measure(
        "on_time_rate",
        "按时应答率",
        "slow",
        "法定应答期限（派发后第3个工作日17时）落在本期的派发轮次中，在法定期限内应答的占比；"
        "延期不改变法定期限，期限内退回不算应答。",
        "rate",
        on_time_rate,
        unit="%",
    ),
    Measure(
        "late_response",
        "超期应答",
        "slow",
        "本期内作出应答、且应答时间晚于法定应答期限的派发轮次数（延期的轮次同样计入，并注明是否在"
        "延期期限内）。",
        "count",
        late_response,
    ),
    Measure(
        "late_contact",
        "首次联系超时",
        "slow",
        "联系企业期限（派发后1个工作日）落在本期的派发轮次中，首次联系晚于期限或期限届满仍未联系的"
        "轮次数（期限前退回的不计，计入退回）。",
        "count",
        late_contact,
    ),
    Measure(
        "late_followup",
        "电话回访超时",
        "slow",
        "回访期限（部门应答后2个工作日）落在本期的派发轮次中，平台未在期限内电话回访的轮次数，"
        "计入承担回访的平台工作人员所在单位。",
        "count",
        late_followup,
    ),
    Measure(
        "extended",
        "延期件数",
        "slow",
        "本期内经平台同意延期的申请数（延期不抵消超期，仅作参考）。",
        "count",
        extended,
        informational=True,
    ),
    Measure(
        "unfinished",
        "期末未办结",
        "unfinished",
        "期末（进行中的周期为当前时刻）仍未应答也未退回、且已超过法定应答期限的派发轮次数，"
        "逐件注明超期时长。",
        "count",
        unfinished,
    ),
    Measure(
        "returns",
        "退回件数",
        "shirking",
        "本期内本单位退回（推诿、转派）的派发轮次数，逐件注明持有时长（派发至退回）。平台没有部门"
        "之间的直接转办：退回后由平台改派，即为转派。",
        "count",
        returns,
    ),
    Measure(
        "perfunctory",
        "敷衍塞责",
        "perfunctory",
        "本期内答复内容少于考核办法规定字数的应答，加上同一诉求重派本单位后企业再次不满意的派发"
        "轮次（每轮次计一次）。",
        "count",
        perfunctory,
    ),
    Measure(
        "unsatisfied",
        "不满意件数",
        "unsatisfied",
        "本期内电话回访或企业在线评价为不满意的派发轮次数（每轮次计一次）。",
        "count",
        unsatisfied,
    ),
    Measure(
        "satisfaction_rate",
        "满意率",
        "unsatisfied",
        "本期的评价结果中满意和基本满意的占比；评价结果为平台电话回访，以及企业在线评价为不满意"
        "（直接退回重派、无需回访）的评价。",
        "rate",
        satisfaction_rate,
        unit="%",
    ),
    Measure(
        "satisfaction_score",
        "平均评分",
        "unsatisfied",
        "与满意率相同的评价结果的平均分（1–5分）。",
        "mean",
        satisfaction_score,
        unit="分",
        informational=True,
    ),
    Measure(
        "supervised",
        "督办件数",
        "supervision",
        "法定应答期限落在本期、在督办期间办理的派发轮次数（列入督办后派发，或列入督办时仍在办理）。",
        "count",
        supervised,
        informational=True,
    ),
    Measure(
        "supervised_late",
        "督办件超时",
        "supervision",
        "上述督办轮次中未在法定应答期限内应答的轮次数，逐件注明督办后用时。",
        "count",
        supervised_late,
    ),
    Measure(
        "message_reply_rate",
        "留言按时回复率",
        "other",
        "本期收到的留言（我要留言）中按时回复的占比：转为诉求的按诉求应答期限，直接答复的按3个"
        "工作日（与回复率监测相同）。",
        "rate",
        message_reply_rate,
        unit="%",
    ),
    Measure(
        "consultation_reply_rate",
        "咨询按时回复率",
        "other",
        "本期转人工的咨询（我要咨询）中，在向企业承诺的时间内由工作人员首次回复的占比。",
        "rate",
        consultation_reply_rate,
        unit="%",
    ),
    Measure(
        "matters_late",
        "办件超期",
        "unfinished",
        "办理期限落在本期的办件（我要办事）中，逾期办结或期限届满仍未办结的件数，计入事项实施部门。",
        "count",
        matters_late,
    ),
    Measure(
        "declarations_late",
        "项目申报审核超期",
        "unfinished",
        "受理或审核期限落在本期的项目申报中，期限前未受理（或退回、不予通过）、未审核的次数，"
        "计入申报通知的发布部门。",
        "count",
        declarations_late,
    ),
    Measure(
        "stale_info",
        "信息未及时清理",
        "other",
        "期末仍在发布、但已过有效期或发布超过一年未复核的政策，以及已到期未清理的企业发布信息"
        "（招工、融资需求），计入提供或审核部门（第十八条）。",
        "count",
        stale_info,
        unit="条",
    ),
    Measure(
        "coverage_gap",
        "联络员/管理员缺位",
        "other",
        "期末平台管理机构未明确联络员、部门或镇街未明确管理员的，计1（第十一条）。",
        "count",
        coverage_gap,
        unit="项",
    ),
]

BY_CODE: dict[str, Measure] = {m.code: m for m in MEASURES}


def collect_all(ctx: Context) -> dict[str, dict[int, list[Case]]]:
    """Every measure's cases, by measure code and department id."""
    result: dict[str, dict[int, list[Case]]] = {}
    for measure in MEASURES:
        result[measure.code] = collect(measure, ctx)
    return result


def collect(measure: Measure, ctx: Context) -> dict[int, list[Case]]:
    by_department: dict[int, list[Case]] = defaultdict(list)
    for case in measure.collect(ctx):
        by_department[case.department_id].append(case)
    for cases in by_department.values():
        cases.sort(key=lambda c: (c.at is None, c.at, c.number, c.sub or 0))
    return dict(by_department)
