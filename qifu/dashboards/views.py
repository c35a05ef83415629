"""领导驾驶舱 (the city overview and each department's figures and cases) and the open data."""

from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from qifu.accounts.models import Department
from qifu.appeals.models import Stage
from qifu.core.forms import StyledFormMixin
from qifu.core.pages import link_for, page_rule
from qifu.dashboards import selectors
from qifu.dashboards.access import can_open_dashboards, can_view_department, can_view_overview

PER_PAGE = 20


class PeriodForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(
        label="统计期间", required=False, choices=list(selectors.PERIODS.items())
    )

    def chosen_period(self) -> selectors.Period:
        code = self.cleaned_data.get("period") if self.is_valid() else ""
        return selectors.period_for(code or "12m")


class CaseFilterForm(PeriodForm):
    stage = forms.ChoiceField(
        label="环节", required=False, choices=[("", "全部环节"), *Stage.choices]
    )


def _assessment_link(user: Any) -> str | None:
    return link_for(user, "assessment:ranking")


@page_rule(
    can_view_overview,
    "领导驾驶舱仅限督查领导、平台工作人员和考核管理员查看。",
    elsewhere=("dashboards:mine",),
)
@require_GET
def overview_view(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period = form.chosen_period()
    data = selectors.overview(period)
    times = [
        ("联系企业", "派发至首次联系企业", data.times["contact"]),
        ("诉求应答", "派发至承办部门应答", data.times["respond"]),
        ("办结", "受理至办结", data.times["close"]),
    ]
    chart = {
        "months": data.by_month,
        "categories": data.by_category,
        "towns": data.by_town,
    }
    return render(
        request,
        "dashboards/overview.html",
        {
            "form": form,
            "period": period,
            "data": data,
            "times": times,
            "chart": chart,
            "ranking_url": _assessment_link(request.user),
            "pipeline_url": link_for(request.user, "investment:decision"),
            "pipeline_total": sum(r["count"] for r in data.pipeline),
            "cache_minutes": max(1, settings.DASHBOARD_CACHE_SECONDS // 60),
        },
    )


@page_rule(can_open_dashboards, "领导驾驶舱仅限政府部门工作人员查看。")
@require_GET
def mine_view(request: HttpRequest) -> HttpResponse:
    """A department user's way in: straight to the department's own page."""
    user: Any = request.user
    if user.department_id and not can_view_overview(user):
        return HttpResponseRedirect(reverse("dashboards:department", args=[user.department.code]))
    return HttpResponseRedirect(reverse("dashboards:overview"))


@page_rule(can_open_dashboards, "部门办理情况仅限政府部门工作人员查看。")
@require_GET
def department_view(request: HttpRequest, code: str) -> HttpResponse:
    department = Department.objects.filter(code=code).first()
    if department is None or not can_view_department(request.user, department):
        raise Http404("未找到，或您无权查看。")
    form = CaseFilterForm(request.GET or None)
    period = form.chosen_period()
    figures = selectors.department_figures(department, period)
    cases = selectors.department_cases(department)
    stage = form.cleaned_data.get("stage") if form.is_valid() else ""
    if stage:
        cases = cases.filter(stage=stage)
    if request.GET.get("format") == "xlsx":
        return _export_cases(request, department, cases)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    export = params.copy()
    export["format"] = "xlsx"
    times = [
        ("联系企业", "派发至首次联系企业", figures.times["contact"]),
        ("诉求应答", "派发至应答", figures.times["respond"]),
        ("办结", "受理至办结", figures.times["close"]),
    ]
    return render(
        request,
        "dashboards/department.html",
        {
            "department": department,
            "form": form,
            "period": period,
            "figures": figures,
            "row": figures.row or {},
            "times": times,
            "page": page,
            "rows": list(page.object_list),
            "query": params.urlencode(),
            "export_query": export.urlencode(),
            "overview_url": reverse("dashboards:overview")
            if can_view_overview(request.user)
            else None,
        },
    )


EXPORT_LIMIT = 20000


def _export_cases(request: HttpRequest, department: Department, cases: Any) -> HttpResponse:
    """The department's cases as Excel (the appeals' own columns; phones masked)."""
    from qifu.appeals.exports import appeals_workbook
    from qifu.core.audit import audit_record
    from qifu.core.exports import XLSX_CONTENT_TYPE, attachment_disposition

    audit_record(
        action="dashboards.department.export",
        actor=request.user,
        summary=f"导出{department.name}的诉求",
        data={"department": department.code, "query": request.GET.urlencode()[:500]},
    )
    response = HttpResponse(appeals_workbook(cases[:EXPORT_LIMIT]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(
        f"{department.name}-诉求-{timezone.localdate():%Y%m%d}.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- open data (public) -------------------------------------------------------------------------


def open_data_payload(start: str | None, end: str | None) -> dict[str, Any]:
    """The open-data document (also the API's answer); ValidationError on a bad month."""
    period = selectors.open_data_period(start, end)
    return {
        "title": "企业诉求统计（按月份、类别、镇街）",
        "period": {
            "from": f"{period.first:%Y-%m}",
            "to": f"{selectors.add_months(period.after, -1):%Y-%m}",
        },
        "min_count": settings.OPEN_DATA_MIN_COUNT,
        "suppressed_as": None,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "fields": [{"name": n, "description": d} for n, d in selectors.OPEN_DATA_FIELDS],
        "rows": selectors.open_data_rows(period),
    }


def _payload_or_400(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    try:
        return open_data_payload(request.GET.get("from"), request.GET.get("to"))
    except ValidationError as error:
        return JsonResponse(
            {"detail": error.message_dict}, status=400, json_dumps_params={"ensure_ascii": False}
        )


@require_GET
@cache_control(public=True, max_age=600)
def open_data_json(request: HttpRequest) -> HttpResponse:
    payload = _payload_or_400(request)
    if isinstance(payload, HttpResponse):
        return payload
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


def _cell(value: Any) -> Any:
    """A text cell a spreadsheet would take for a formula is quoted (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
@cache_control(public=True, max_age=600)
def open_data_csv(request: HttpRequest) -> HttpResponse:
    payload = _payload_or_400(request)
    if isinstance(payload, HttpResponse):
        return payload
    k = payload["min_count"]
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(buffer)
    names = [n for n, _ in selectors.OPEN_DATA_FIELDS]
    writer.writerow(names)
    for row in payload["rows"]:
        writer.writerow(
            [
                f"<{k}" if row[n] is None and n in ("received", "closed") else _cell(row[n])
                for n in names
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appeals-open-data.csv"'
    return response


@require_GET
def open_data_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboards/open_data.html",
        {
            "fields": selectors.OPEN_DATA_FIELDS,
            "min_count": settings.OPEN_DATA_MIN_COUNT,
            "period": selectors.open_data_period(None, None),
            "max_months": selectors.MAX_OPEN_DATA_MONTHS,
        },
    )
