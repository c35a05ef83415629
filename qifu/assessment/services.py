"""Every write of the assessment: method versions through review, publishing a period, 通报."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from qifu.accounts.models import User
from qifu.assessment.measures import BY_CODE, MEASURES, Context, collect
from qifu.assessment.method import clean_method, describe
from qifu.assessment.models import (
    MethodStatus,
    MethodVersion,
    PeriodReport,
    PublishedPeriod,
    ReportStatus,
)
from qifu.assessment.periods import Period, parse_period
from qifu.assessment.selectors import active_method, compute_rows, ranking_table
from qifu.assessment.workflow import METHOD_PROCESS, REPORT_PROCESS, can_draft
from qifu.core.audit import audit_record
from qifu.core.workflow import TransitionNotAllowed


def _check_drafter(user: Any) -> None:
    """Creating (unlike every later step) has no row to check against the process table."""
    if not can_draft(user, None):
        raise PermissionDenied(str(getattr(can_draft, "refusal", "无权执行此操作。")))


# --- the method ---------------------------------------------------------------------------------


def method_draft(*, user: User, data: Any, note: str = "") -> MethodVersion:
    """A new version of the method, as a draft (from the data given)."""
    _check_drafter(user)
    clean = clean_method(data)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = MethodVersion.objects.aggregate(v=Max("version"))["v"] or 0
                method = MethodVersion(
                    version=last + 1, data=clean, note=note.strip()[:2000], created_by=user
                )
                with METHOD_PROCESS.start(
                    method, "draft", actor=user, state=MethodStatus.DRAFT
                ) as step:
                    step.note = method.note
                return method
        except IntegrityError:
            continue
    raise TransitionNotAllowed("版本号冲突，请重试。")


def method_edit(*, method: MethodVersion, user: User, data: Any, note: str = "") -> MethodVersion:
    clean = clean_method(data)
    with METHOD_PROCESS.act(method, "edit", actor=user) as step:
        step.obj.data = clean
        step.obj.note = note.strip()[:2000]
        step.note = step.obj.note
    return step.obj  # type: ignore[no-any-return]


def _reviewers(author: Any) -> Any:
    """Who may review what `author` drafted: the other assessment administrators and the
    supervisors (督查领导)."""
    from qifu.accounts.models import Role

    return (
        User.objects.filter(is_active=True, role_grants__role__in=[Role.ASSESSOR, Role.SUPERVISOR])
        .exclude(pk=author.pk)
        .distinct()
    )


def method_submit(*, method: MethodVersion, user: User) -> MethodVersion:
    with METHOD_PROCESS.act(method, "submit", actor=user) as step:
        step.notify(
            lambda: _reviewers(user),
            f"考核办法{method.number}待审核",
            f"{user}提交了考核办法{method.number}，审核通过后用于尚未发布的考核周期。",
        )
    return step.obj  # type: ignore[no-any-return]


def method_review(
    *, method: MethodVersion, user: User, approve: bool, comment: str = ""
) -> MethodVersion:
    """A second person approves (the version applies from now to every unpublished period) or
    returns it with a reason."""
    if not approve and len(comment.strip()) < 2:
        raise ValidationError({"comment": "退回时请填写审核意见。"})
    with METHOD_PROCESS.act(method, "approve" if approve else "return", actor=user) as step:
        step.obj.reviewed_by = user
        step.obj.review_comment = comment.strip()[:2000]
        if approve:
            step.obj.approved_at = step.now
        step.note = step.obj.review_comment
    return step.obj  # type: ignore[no-any-return]


# --- publishing a period -------------------------------------------------------------------------


def period_publish(*, period: Period, user: User | None) -> PublishedPeriod:
    """Store the period's figures as published, with the method version in force now (by the
    assessment administrator, or on publishing the period's 通报)."""
    if not period.is_complete():
        raise TransitionNotAllowed(f"{period.label}尚未结束，不能发布。")
    version, method = active_method()
    rows = compute_rows(period, version, method)
    try:
        with transaction.atomic():
            published = PublishedPeriod.objects.create(
                period=period.key,
                method_version=version,
                method_data=method,
                rows=rows,
                published_by=user,
                published_at=timezone.now(),
            )
    except IntegrityError:
        raise TransitionNotAllowed(f"{period.label}的考核结果已发布，不能重复发布。") from None
    audit_record(
        action="assessment.period.publish",
        actor=user,
        target=published,
        summary=f"发布考核结果 {period.key}（考核办法第{version}版）",
        data={"period": period.key, "method_version": version, "departments": len(rows)},
    )
    return published


# --- 通报 ----------------------------------------------------------------------------------------

GOOD_EXAMPLES = 5


def report_content(period: Period) -> dict[str, Any]:
    """The body of a 通报 from the period's figures (as published when it is)."""
    table = ranking_table(period.key)
    ranking = []
    below = []
    by_department = []
    names = {m.code: m.name for m in MEASURES}
    for row in table.rows:
        figures = {m["code"]: m for m in row["measures"]}
        name = row["department"]["name"]
        ranking.append(
            {
                "rank": row["rank"],
                "department": name,
                "code": row["department"]["code"],
                "score": row["score"],
                "on_time_rate": figures.get("on_time_rate", {}).get("value"),
                "satisfaction_rate": figures.get("satisfaction_rate", {}).get("value"),
                "dispatched": figures.get("dispatched", {}).get("count", 0),
                "below_floor": [names[c] for c in row["below_floor"]],
            }
        )
        for code in row["below_floor"]:
            floor = table.method.get("floors", {}).get(code, {})
            below.append(
                {
                    "department": name,
                    "measure": names[code],
                    "value": figures.get(code, {}).get("value"),
                    "floor": floor.get("min"),
                }
            )
        counts = {
            code: figures.get(code, {}).get("count", 0)
            for code in ("late_response", "unfinished", "returns", "supervised", "supervised_late")
        }
        if any(counts.values()):
            by_department.append({"department": name, **counts})
    ctx = Context(period=period, start=period.start, end=period.effective_end())
    good = [
        c
        for cases in collect(BY_CODE["satisfaction_score"], ctx).values()
        for c in cases
        if c.score == 5
    ]
    good.sort(key=lambda c: (c.at, c.number))
    departments = {r["department"]["code"]: r["department"]["name"] for r in table.rows}
    from qifu.accounts.models import Department

    unit_names = dict(
        Department.objects.filter(pk__in={c.department_id for c in good}).values_list("pk", "name")
    )
    from django.utils import timezone as tz

    from qifu.supervision.selectors import escalated_cases

    escalated = [
        {
            "number": e.number,
            "title": e.title,
            "department": e.department.name if e.department else "",
            "listed_at": tz.localtime(e.listed_at).strftime("%Y-%m-%d"),
            "closed": e.closed,
        }
        for e in escalated_cases(period.start, period.effective_end())
    ]
    return {
        "period": period.key,
        "label": period.label,
        # Cases the supervision board listed for the 通报 (督办台's escalation ladder).
        "escalated": escalated,
        "method_version": table.method_version,
        "method_lines": [list(line) for line in describe(table.method)],
        "published_figures": table.is_published,
        "ranking": ranking,
        "below_floor": below,
        "by_department": by_department,
        "good_examples": [
            {
                "number": c.number,
                "title": c.title,
                "department": unit_names.get(c.department_id, ""),
                "detail": "企业评价满意，5分",
            }
            for c in good[:GOOD_EXAMPLES]
        ],
        "departments": len(departments),
    }


def report_generate(*, period_str: str, user: User) -> PeriodReport:
    _check_drafter(user)
    period = parse_period(period_str)
    if not period.is_complete():
        raise ValidationError({"period": f"{period.label}尚未结束，期满后才能生成通报。"})
    if PeriodReport.objects.filter(period=period.key).exists():
        raise TransitionNotAllowed(f"{period.label}的通报已存在，请在原通报上修改。")
    table = ranking_table(period.key)
    report = PeriodReport(
        period=period.key,
        title=f"{period.label}企业一体化服务平台各单位服务企业情况通报",
        content=report_content(period),
        method_version=table.method_version,
        created_by=user,
    )
    with REPORT_PROCESS.start(report, "generate", actor=user, state=ReportStatus.DRAFT) as step:
        step.note = f"由{period.label}考核数据生成"
    return report


def report_edit(*, report: PeriodReport, user: User, title: str, foreword: str) -> PeriodReport:
    errors = {}
    if not 4 <= len(title.strip()) <= 100:
        errors["title"] = "标题应为4至100个字。"
    if len(foreword) > 3000:
        errors["foreword"] = "通报说明不超过3000字。"
    if any(ord(c) < 32 and c not in "\r\n\t" for c in title + foreword):
        errors["foreword" if "\x00" in foreword else "title"] = "含有不可见的控制字符。"
    if errors:
        raise ValidationError(errors)
    with REPORT_PROCESS.act(report, "edit", actor=user) as step:
        step.obj.title = title.strip()
        step.obj.foreword = foreword.strip()
        step.obj.content = report_content(parse_period(step.obj.period))
        step.obj.method_version = step.obj.content["method_version"]
    return step.obj  # type: ignore[no-any-return]


def report_submit(*, report: PeriodReport, user: User) -> PeriodReport:
    with REPORT_PROCESS.act(report, "submit", actor=user) as step:
        step.notify(
            lambda: _reviewers(user),
            f"{report.title}待审核",
            f"{user}提交了{report.title}，审核通过即公开发布。",
        )
    return step.obj  # type: ignore[no-any-return]


def report_review(
    *, report: PeriodReport, user: User, approve: bool, comment: str = ""
) -> PeriodReport:
    """A second person publishes the report (publishing the period's figures first when they are
    not yet, and taking the report's figures from them) or returns it with a reason."""
    if not approve and len(comment.strip()) < 2:
        raise ValidationError({"comment": "退回时请填写审核意见。"})
    with REPORT_PROCESS.act(report, "publish" if approve else "return", actor=user) as step:
        locked = step.obj
        locked.reviewed_by = user
        locked.review_comment = comment.strip()[:2000]
        step.note = locked.review_comment
        if approve:
            period = parse_period(locked.period)
            if not PublishedPeriod.objects.filter(period=period.key).exists():
                period_publish(period=period, user=user)
            locked.content = report_content(period)
            locked.method_version = locked.content["method_version"]
            locked.published_at = step.now
    return step.obj  # type: ignore[no-any-return]
