"""督办台: the board of supervised cases and long-overdue rounds, its Excel export, and the
ladder's steps (催办, 列入通报) taken from it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from qifu.accounts.access import is_platform_staff
from qifu.accounts.models import Role
from qifu.appeals.models import Appeal
from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_response
from qifu.core.pages import page_rule
from qifu.core.workflow import TransitionNotAllowed
from qifu.supervision import selectors, services
from qifu.supervision.forms import BoardFilterForm, StepForm
from qifu.workdays.calendar import WorkCalendar

PER_PAGE = 20
EXPORT_LIMIT = 20000


def can_view_board(user: Any) -> bool:
    """Supervisors (督查领导), platform staff and superusers."""
    return bool(
        user.is_authenticated and (is_platform_staff(user) or user.has_role(Role.SUPERVISOR))
    )


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _decorate(rows: list[Appeal], now: Any) -> None:
    """Per shown row (a page, never the whole board): how late, in working days, and the kind."""
    calendar = WorkCalendar()
    today = timezone.localtime(now).date()
    for row in rows:
        due = row.due_at
        row.late_days = (  # type: ignore[attr-defined]
            calendar.working_days_between(timezone.localtime(due).date(), today)
            if due is not None and due < now
            else 0
        )
        row.kind_label = "督办件" if row.is_supervised else "长期超期派单"  # type: ignore[attr-defined]
        row.level_label = selectors.LEVELS[row.level]  # type: ignore[attr-defined]


@page_rule(can_view_board, "督办台仅限督查领导和平台工作人员查看。")
@require_GET
def board_view(request: HttpRequest) -> HttpResponse:
    form = BoardFilterForm(request.GET or None)
    now = timezone.now()
    qs = selectors.board_filtered(now=now, **form.filters())
    if request.GET.get("format") == "xlsx":
        return _export(request, qs)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _decorate(rows, now)
    params = request.GET.copy()
    params.pop("page", None)
    export = params.copy()
    export["format"] = "xlsx"
    cut = selectors.cutoffs(now)
    counts = selectors.board(now).aggregate(
        supervised=Count("id", filter=Q(is_supervised=True)),
        due=Count("id", filter=~Q(next_step="")),
    )
    return render(
        request,
        "supervision/board.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": params.urlencode(),
            "export_query": export.urlencode(),
            "step_form": StepForm(),
            "total": page.paginator.count,
            "supervised_count": counts["supervised"],
            "due_count": counts["due"],
            "cut": cut,
            "thresholds": _thresholds(),
            "back": request.get_full_path(),
        },
    )


def _thresholds() -> dict[str, int]:
    from django.conf import settings

    return {
        "overdue": settings.SUPERVISION_OVERDUE_WORKING_DAYS,
        "urge": settings.SUPERVISION_URGE_WORKING_DAYS,
        "escalate": settings.SUPERVISION_ESCALATE_WORKING_DAYS,
    }


COLUMNS = (
    ("诉求编号", 20),
    ("标题", 36),
    ("企业", 28),
    ("承办部门", 20),
    ("类型", 12),
    ("环节", 8),
    ("当前期限", 18),
    ("超期工作日", 10),
    ("列入督办时间", 18),
    ("督办进度", 12),
    ("催办次数", 8),
    ("最近催办", 18),
    ("列入通报", 18),
)


def _export(request: HttpRequest, qs: Any) -> HttpResponse:
    now = timezone.now()
    rows = list(qs[:EXPORT_LIMIT])
    _decorate(rows, now)
    audit_record(
        action="supervision.board.export",
        actor=request.user,
        summary=f"导出督办台 {len(rows)} 条",
        data={"query": request.GET.urlencode()[:500]},
    )
    return xlsx_response(
        filename=f"督办台-{timezone.localdate():%Y%m%d}.xlsx",
        sheet_title="督办台",
        headers=[c for c, _ in COLUMNS],
        widths=[w for _, w in COLUMNS],
        rows=(
            (
                r.number,
                r.title,
                r.enterprise_name,
                r.department.name if r.department else "待重新派发",
                r.kind_label,  # type: ignore[attr-defined]
                r.get_stage_display(),
                _local(r.due_at),
                r.late_days or "",  # type: ignore[attr-defined]
                _local(r.supervised_at),
                r.level_label,  # type: ignore[attr-defined]
                r.urge_count,
                _local(r.urged_at),
                _local(r.escalated_at),
            )
            for r in rows
        ),
    )


STEPS: dict[str, tuple[Callable[..., Appeal], str]] = {
    "urge": (services.supervision_urge, "已催办，承办部门负责人已收到通知。"),
    "escalate": (services.supervision_escalate, "已列入下期通报，承办部门负责人已收到通知。"),
}


@page_rule(can_view_board, "督办台仅限督查领导和平台工作人员操作。")
@require_POST
def step_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("没有这项操作。")
    if not Appeal.objects.for_user(request.user).filter(pk=pk).exists():
        raise Http404("未找到，或您无权查看。")
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}) or not back.startswith(
        reverse("supervision:board")
    ):
        back = reverse("supervision:board")
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for ms in form.errors.values() for m in ms))
        return HttpResponseRedirect(back)
    run, done = STEPS[step]
    kwargs: dict[str, Any] = {"appeal": pk, "user": request.user, "note": form.cleaned_data["note"]}
    if step == "urge":
        kwargs["seen"] = form.cleaned_data.get("seen")
    try:
        appeal = run(**kwargs)
    except TransitionNotAllowed as conflict:
        messages.error(request, str(conflict))
        return HttpResponseRedirect(back)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return HttpResponseRedirect(back)
    except PermissionDenied:
        raise
    messages.success(request, f"诉求{appeal.number}：{done}")
    return HttpResponseRedirect(back)
