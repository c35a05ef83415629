"""The lists: 我的诉求 (enterprise), 诉求管理 (staff, with export), 诉求办理 (department)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qifu.accounts.access import is_enterprise_user
from qifu.appeals import exports, selectors
from qifu.appeals.forms import (
    AppealFilterForm,
)
from qifu.appeals.models import (
    AWAITING_DISPATCH,
    Appeal,
    Evaluation,
    ExtensionStatus,
    Stage,
    overdue_q,
)
from qifu.appeals.views.common import is_department_user, is_staff_viewer
from qifu.core.audit import audit_record
from qifu.core.counts import CachedCountPaginator
from qifu.core.exports import xlsx_file_response
from qifu.core.pages import page_rule
from qifu.workdays.calendar import deadline_after

PER_PAGE = 20
EXPORT_LIMIT = 20000


# Shortcuts the workbench links to, on top of the filter form (`?focus=…`).
FOCUS_LABELS = {
    "open": "未办结",
    "late": "当前环节已超过法定期限",
    "awaiting": "待研判派发",
    "unlinked": "待确认企业",
    "due_today": "今日到期",
    "due_soon": "一个工作日内到期",
    "unaccepted": "待签收",
    "extension": "待审批延期",
    "evaluate": "待我评价",
}


def _focus(
    qs: QuerySet[Appeal], focus: str, *, now: dt.datetime, horizon: dt.datetime, user: Any
) -> QuerySet[Appeal]:
    if focus == "open":
        # "Not closed" (the same open set), as the partial index appeal_open_due_idx reads.
        return qs.exclude(stage=Stage.CLOSED)
    if focus == "late":
        return qs.filter(overdue_q(now))
    if focus == "awaiting":
        return qs.filter(stage__in=AWAITING_DISPATCH)
    if focus == "unlinked":
        return qs.filter(stage__in=AWAITING_DISPATCH, enterprise__isnull=True)
    if focus == "due_today":
        end = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=999999)
        return qs.filter(pk__in=Appeal.objects.due_within(now, end).values("pk"))
    if focus == "due_soon":
        return qs.filter(pk__in=Appeal.objects.due_within(now, horizon).values("pk"))
    if focus == "unaccepted":
        return qs.filter(stage=Stage.DISPATCHED, accepted_at__isnull=True)
    if focus == "extension":
        return qs.filter(extensions__status=ExtensionStatus.PENDING).distinct()
    if focus == "evaluate":
        return awaiting_evaluation(qs)
    return qs


def awaiting_evaluation(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """Responded appeals the enterprise has not yet evaluated since the latest response."""
    evaluated = Evaluation.objects.filter(
        appeal=OuterRef("pk"),
        source=Evaluation.Source.ENTERPRISE,
        created_at__gte=OuterRef("responded_at"),
    )
    return qs.filter(stage__in=(Stage.RESPONDED, Stage.FOLLOWED_UP)).exclude(Exists(evaluated))


def _horizon(now: dt.datetime) -> dt.datetime:
    """Due before this is "due within one working day": the yellow mark."""
    return deadline_after(start=now, working_days=1).due_at


def _mark(appeals: list[Appeal], now: dt.datetime, horizon: dt.datetime) -> None:
    """Red past the current stage's statutory limit (an extension does not clear it), yellow
    within one working day of the deadline the stage works to."""
    for appeal in appeals:
        due = appeal.current_due_at
        appeal.mark = (  # type: ignore[attr-defined]
            "overdue"
            if appeal.is_late_now(now)
            else "soon"
            if due is not None and due <= horizon
            else ""
        )


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def _list_page(
    request: HttpRequest,
    *,
    template: str,
    title: str,
    with_department: bool,
    base_filters: dict[str, Any] | None = None,
    default_sort: str = "due",
    export: bool = False,
) -> HttpResponse:
    user = request.user
    data = request.GET.copy()
    data.setdefault("sort", default_sort)
    form = AppealFilterForm(data, with_department=with_department)
    filters = form.filters()
    filters.update(base_filters or {})
    now = timezone.now()
    horizon = _horizon(now)
    qs = selectors.appeal_list(user=user, **filters)
    focus = request.GET.get("focus", "")
    if focus in FOCUS_LABELS:
        qs = _focus(qs, focus, now=now, horizon=horizon, user=user)
    else:
        focus = ""
    if export:
        content = exports.appeals_workbook(qs[:EXPORT_LIMIT])
        audit_record(
            action="appeals.export",
            actor=user,
            summary=f"导出企业诉求 {request.GET.urlencode()}"[:500],
            data={"filters": {k: v for k, v in request.GET.items() if k != "format"}},
        )
        stamp = timezone.localtime(now).strftime("%Y%m%d%H%M")
        return xlsx_file_response(content, filename=f"appeals-{stamp}.xlsx")
    paginator = CachedCountPaginator(qs, PER_PAGE, topic=selectors.COUNTS_TOPIC)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _mark(rows, now, horizon)
    counts, counted_at = selectors.stage_counts_at(user=user) if with_department else (None, None)
    return render(
        request,
        template,
        {
            "title": title,
            "form": form,
            "page": page,
            "rows": rows,
            "focus": focus,
            "focus_label": FOCUS_LABELS.get(focus, ""),
            "counts": counts,
            # Totals are cached for up to a minute (qifu/core/counts.py): say when they were taken.
            "counted_at": counted_at or paginator.counted_at,
            "stage_tabs": [(s.value, s.label, (counts or {}).get(s.value, 0)) for s in Stage],
            "current_stage": request.GET.get("stage", ""),
            "query_no_page": _query_without(request, "page"),
            "query_no_stage": _query_without(request, "page", "stage"),
        },
    )


@page_rule(
    is_enterprise_user,
    "“我的诉求”仅限企业用户查看。",
    elsewhere=("appeals:manage", "appeals:inbox"),
)
@require_GET
def my_appeals(request: HttpRequest) -> HttpResponse:
    """我的诉求: the enterprise's own appeals, newest first."""
    user = request.user
    now = timezone.now()
    horizon = _horizon(now)
    stage = request.GET.get("stage", "")
    qs = selectors.appeal_list(user=user, stage=stage if stage in Stage.values else None)
    focus = request.GET.get("focus", "")
    if focus in ("open", "evaluate"):
        qs = _focus(qs, focus, now=now, horizon=horizon, user=user)
    else:
        focus = ""
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _mark(rows, now, horizon)
    return render(
        request,
        "appeals/mine.html",
        {
            "page": page,
            "rows": rows,
            "stage": stage,
            "focus": focus,
            "stages": Stage.choices,
            "focus_label": FOCUS_LABELS.get(focus, ""),
            "query_no_page": _query_without(request, "page"),
        },
    )


@page_rule(
    is_staff_viewer,
    "诉求管理仅限平台工作人员和督查领导使用。",
    elsewhere=("appeals:inbox",),
)
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """The platform's list of every appeal: filters, stage tabs, marks, export."""
    return _list_page(
        request,
        template="appeals/manage.html",
        title="诉求管理",
        with_department=True,
        export=request.GET.get("format") == "xlsx",
    )


@page_rule(
    is_department_user,
    "诉求办理仅限承办部门使用。",
    elsewhere=("appeals:manage",),
)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The department's workbench: what was dispatched to it, due soonest first."""
    user = request.user
    base: dict[str, Any] = {}
    if request.GET.get("history") != "1":
        base["department"] = user.department.code  # type: ignore[union-attr]
    return _list_page(
        request,
        template="appeals/inbox.html",
        title="诉求办理",
        with_department=False,
        base_filters=base,
    )
