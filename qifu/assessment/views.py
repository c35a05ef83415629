"""Pages of the assessment: the ranking, a department's breakdown, the cases behind a figure, the
method versions with their review, and the 通报 (public list, drafting, review, downloads)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.models import Department, Role
from qifu.assessment import exports, selectors, services
from qifu.assessment.measures import BY_CODE, FAULTS, MEASURES, Case
from qifu.assessment.method import COUNT_CODES, DEFAULT_METHOD, RATE_CODES, describe
from qifu.assessment.models import (
    MethodStatus,
    MethodVersion,
    PeriodReport,
    PublishedPeriod,
    ReportStatus,
)
from qifu.assessment.periods import PeriodError, parse_period, previous_month, recent_periods
from qifu.assessment.workflow import METHOD_PROCESS, REPORT_PROCESS
from qifu.core.forms import StyledFormMixin, apply_errors
from qifu.core.pages import can_open, page_rule
from qifu.core.workflow import TransitionNotAllowed

CASES_PER_PAGE = 30


def _is_reviewer(user: Any) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_role(Role.ASSESSOR, Role.SUPERVISOR))
    )


def _period_or_404(value: str) -> Any:
    try:
        return parse_period(value)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc


# --- ranking, breakdown, cases -------------------------------------------------------------------


class PeriodForm(StyledFormMixin, forms.Form):
    period = forms.CharField(
        label="考核周期",
        max_length=10,
        required=False,
        help_text="月 YYYY-MM、季度 YYYY-Qn 或年度 YYYY",
        widget=forms.TextInput(attrs={"list": "period-choices", "inputmode": "text"}),
    )

    def clean_period(self) -> Any:
        value = self.cleaned_data.get("period") or ""
        if not value:
            return previous_month()
        try:
            return parse_period(value)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from exc


@page_rule(selectors.can_view_ranking, "考核排名仅限政府工作人员查看。")
@require_GET
def ranking_page(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data["period"] if form.is_valid() else previous_month()
    table = selectors.ranking_table(period.key)
    user: Any = request.user
    own = user.department.code if user.department_id else None
    top = max((r["score"] for r in table.rows), default=0) or 1
    rows = []
    for row in table.rows:
        figures = {m["code"]: m for m in row["measures"]}
        faults = sum(m["count"] for m in row["measures"] if m["code"] in COUNT_CODES and m["count"])
        rows.append(
            {
                **row,
                "figures": figures,
                "faults": faults,
                "bar": round(100 * row["score"] / top, 1),
                "can_open": selectors.can_view_all(user) or row["department"]["code"] == own,
                "below_names": [BY_CODE[c].name for c in row["below_floor"]],
            }
        )
    report = PeriodReport.objects.filter(period=period.key).first()
    return render(
        request,
        "assessment/ranking.html",
        {
            "form": form,
            "period": period,
            "table": table,
            "rows": rows,
            "choices": recent_periods(),
            "can_publish": selectors.is_assessor(user)
            and not table.is_published
            and period.is_complete(),
            "report": report,
            "own": own,
            "bars": [
                {
                    "name": r["department"]["name"],
                    "score": r["score"],
                    "bar": r["bar"],
                    "warn": bool(r["below_floor"]),
                }
                for r in rows
            ],
        },
    )


def _department_for(request: HttpRequest, code: str) -> Department:
    department = get_object_or_404(Department, code=code)
    if not selectors.can_view_department(request.user, department):
        raise PermissionDenied("只能查看本单位的考核明细。")
    return department


@page_rule(selectors.can_view_ranking, "考核明细仅限政府工作人员查看。")
@require_GET
def department_page(request: HttpRequest, period: str, department: str) -> HttpResponse:
    the_period = _period_or_404(period)
    unit = _department_for(request, department)
    cases = selectors.department_figures(the_period, unit)
    table = selectors.ranking_table(the_period.key)
    row = next((r for r in table.rows if r["department"]["code"] == unit.code), None)
    published = {m["code"]: m for m in row["measures"]} if row else {}
    groups: list[dict[str, Any]] = []
    for fault, label in FAULTS.items():
        items = []
        for measure in MEASURES:
            if measure.fault != fault:
                continue
            found = cases[measure.code]
            value = measure.value(found)
            shown = published.get(measure.code, {})
            items.append(
                {
                    "measure": measure,
                    "value": value,
                    "count": len(found),
                    "deduction": shown.get("deduction", 0),
                    "published_value": shown.get("value") if table.is_published else None,
                    "published_count": shown.get("count") if table.is_published else None,
                    "differs": table.is_published
                    and (shown.get("value") != value or shown.get("count", 0) != len(found)),
                }
            )
        groups.append({"label": label, "items": items})
    return render(
        request,
        "assessment/department.html",
        {
            "period": the_period,
            "unit": unit,
            "row": row,
            "groups": groups,
            "table": table,
        },
    )


_CASE_LINKS = {
    "round": "appeals:detail",
    "message": "board:manage_detail",
    "consultation": "assistant:consultation",
    "matter": "matters:application",
    "declaration": "declarations:application_detail",
}


def case_url(case: Case) -> str | None:
    try:
        if case.kind in _CASE_LINKS:
            return reverse(_CASE_LINKS[case.kind], args=[case.ref])
        if case.kind == "policy":
            return reverse("policies:detail", args=[case.number])
        if case.kind == "unit":
            return reverse("accounts:unit_coverage")
    except NoReverseMatch:
        return None
    return None


@page_rule(selectors.can_view_ranking, "考核明细仅限政府工作人员查看。")
@require_GET
def cases_page(request: HttpRequest, period: str, department: str, code: str) -> HttpResponse:
    the_period = _period_or_404(period)
    unit = _department_for(request, department)
    measure = BY_CODE.get(code)
    if measure is None:
        raise Http404("没有这项考核指标。")
    cases = selectors.department_cases(the_period, unit, code)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    links = {}
    for case in page.object_list:
        url = case_url(case)
        # Only links that open for this user (the coverage page is for platform administrators).
        links[id(case)] = url if url and can_open(request.user, url) else None
    return render(
        request,
        "assessment/cases.html",
        {
            "period": the_period,
            "unit": unit,
            "measure": measure,
            "value": measure.value(cases),
            "count": len(cases),
            "hits": sum(1 for c in cases if c.hit),
            "page": page,
            "rows": [(c, links[id(c)]) for c in page.object_list],
        },
    )


@page_rule(selectors.is_assessor, "只有考核管理员可以发布考核结果。")
@require_POST
def period_publish(request: HttpRequest, period: str) -> HttpResponse:
    the_period = _period_or_404(period)
    try:
        services.period_publish(period=the_period, user=request.user)  # type: ignore[arg-type]
        messages.success(request, f"{the_period.label}考核结果已发布，今后修订考核办法不会改变它。")
    except TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    return redirect(f"{reverse('assessment:ranking')}?period={the_period.key}")


# --- the method ----------------------------------------------------------------------------------


class MethodForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="修订说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    base = forms.FloatField(label="基础分", min_value=1, max_value=1000)
    cap = forms.FloatField(label="单项最多扣分", min_value=0, max_value=1000)
    min_response_chars = forms.IntegerField(
        label="答复最少字数",
        min_value=0,
        max_value=500,
        help_text="少于该字数的答复计为敷衍塞责；0 为不限",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in RATE_CODES:
            name = BY_CODE[code].name
            self.fields[f"rate_{code}"] = forms.FloatField(
                label=f"{name}权重", min_value=0, max_value=100, required=False
            )
            self.fields[f"floor_{code}"] = forms.FloatField(
                label=f"{name}底线（%）", min_value=0, max_value=100, required=False
            )
            self.fields[f"penalty_{code}"] = forms.FloatField(
                label=f"低于{name}底线另扣", min_value=0, max_value=100, required=False
            )
        for code in COUNT_CODES:
            self.fields[f"deduct_{code}"] = forms.FloatField(
                label=f"{BY_CODE[code].name}每件扣分", min_value=0, max_value=100, required=False
            )

    @staticmethod
    def initial_from(data: dict[str, Any], note: str = "") -> dict[str, Any]:
        initial: dict[str, Any] = {
            "note": note,
            "base": data.get("base", 100),
            "cap": data.get("cap", 0),
            "min_response_chars": data.get("min_response_chars", 0),
        }
        for code in RATE_CODES:
            initial[f"rate_{code}"] = data.get("rates", {}).get(code)
            floor = data.get("floors", {}).get(code)
            if floor:
                initial[f"floor_{code}"] = floor["min"]
                initial[f"penalty_{code}"] = floor.get("penalty", 0)
        for code in COUNT_CODES:
            initial[f"deduct_{code}"] = data.get("deductions", {}).get(code)
        return initial

    def method_data(self) -> dict[str, Any]:
        d = self.cleaned_data
        data: dict[str, Any] = {
            "base": d["base"],
            "cap": d["cap"],
            "min_response_chars": d["min_response_chars"],
            "rates": {},
            "deductions": {},
            "floors": {},
        }
        for code in RATE_CODES:
            if d.get(f"rate_{code}") is not None:
                data["rates"][code] = d[f"rate_{code}"]
            if d.get(f"floor_{code}") is not None:
                data["floors"][code] = {
                    "min": d[f"floor_{code}"],
                    "penalty": d.get(f"penalty_{code}") or 0,
                }
        for code in COUNT_CODES:
            if d.get(f"deduct_{code}") is not None:
                data["deductions"][code] = d[f"deduct_{code}"]
        return data


@page_rule(selectors.can_view_ranking, "考核办法仅限政府工作人员查看。")
@require_GET
def methods(request: HttpRequest) -> HttpResponse:
    version, data = selectors.active_method()
    return render(
        request,
        "assessment/methods.html",
        {
            "versions": MethodVersion.objects.select_related("created_by", "reviewed_by"),
            "active_version": version,
            "active_lines": describe(data),
            "measures": MEASURES,
            "faults": FAULTS,
            "can_draft": selectors.is_assessor(request.user),
        },
    )


@page_rule(selectors.is_assessor, "只有考核管理员可以修订考核办法。")
@require_http_methods(["GET", "POST"])
def method_new(request: HttpRequest) -> HttpResponse:
    _version, data = selectors.active_method()
    form = MethodForm(request.POST or None, initial=MethodForm.initial_from(data or DEFAULT_METHOD))
    if request.method == "POST" and form.is_valid():
        try:
            method = services.method_draft(
                user=request.user,  # type: ignore[arg-type]
                data=form.method_data(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存考核办法{method.number}草稿，提交审核后生效。")
            return redirect("assessment:method_detail", version=method.version)
    return render(request, "assessment/method_form.html", {"form": form, "method": None})


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="审核结论", choices=[("approve", "通过"), ("return", "退回修改")]
    )
    comment = forms.CharField(
        label="审核意见", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


@page_rule(selectors.can_view_ranking, "考核办法仅限政府工作人员查看。")
@require_http_methods(["GET", "POST"])
def method_detail(request: HttpRequest, version: int) -> HttpResponse:
    method = get_object_or_404(MethodVersion, version=version)
    user: Any = request.user
    if method.status != MethodStatus.APPROVED and not _is_reviewer(user):
        raise Http404("未找到，或您无权查看。")
    form = MethodForm(initial=MethodForm.initial_from(method.data, method.note))
    review = ReviewForm()
    if request.method == "POST":
        act = request.POST.get("action", "")
        try:
            if act == "edit":
                form = MethodForm(request.POST)
                if form.is_valid():
                    services.method_edit(
                        method=method,
                        user=user,
                        data=form.method_data(),
                        note=form.cleaned_data["note"],
                    )
                    messages.success(request, "已保存修改。")
                    return redirect("assessment:method_detail", version=version)
            elif act == "submit":
                services.method_submit(method=method, user=user)
                messages.success(request, "已提交审核，须由另一位考核管理员或督查领导审核。")
                return redirect("assessment:method_detail", version=version)
            elif act == "review":
                review = ReviewForm(request.POST)
                if review.is_valid():
                    approve = review.cleaned_data["decision"] == "approve"
                    services.method_review(
                        method=method,
                        user=user,
                        approve=approve,
                        comment=review.cleaned_data["comment"],
                    )
                    messages.success(
                        request,
                        "考核办法已生效，用于尚未发布的考核周期。" if approve else "已退回修改。",
                    )
                    return redirect("assessment:method_detail", version=version)
            else:
                messages.error(request, "未知的操作。")
        except ValidationError as exc:
            apply_errors(review if act == "review" else form, exc)
        except (TransitionNotAllowed, PermissionDenied) as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "assessment/method_detail.html",
        {
            "method": method,
            "lines": describe(method.data),
            "form": form,
            "review": review,
            "can_edit": METHOD_PROCESS.can(user, "edit", method),
            "can_submit": METHOD_PROCESS.can(user, "submit", method),
            "can_review": METHOD_PROCESS.can(user, "approve", method),
            "events": method.events.all(),
        },
    )


# --- 通报 ----------------------------------------------------------------------------------------


def public_reports(request: HttpRequest) -> HttpResponse:
    """The published reports, for everyone (measures art. 13: 公开通报)."""
    reports = PeriodReport.objects.filter(status=ReportStatus.PUBLISHED).order_by("-published_at")
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(request, "assessment/reports_public.html", {"page": page})


class GenerateForm(StyledFormMixin, forms.Form):
    period = forms.CharField(
        label="考核周期", max_length=10, help_text="例如 2026-09、2026-Q3 或 2026"
    )


@page_rule(_is_reviewer, "考核通报的起草和审核仅限考核管理员和督查领导。")
@require_http_methods(["GET", "POST"])
def report_manage(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST or None)
    if request.method == "POST":
        if not selectors.is_assessor(request.user):
            raise PermissionDenied("只有考核管理员可以生成通报。")
        if form.is_valid():
            try:
                report = services.report_generate(
                    period_str=form.cleaned_data["period"],
                    user=request.user,  # type: ignore[arg-type]
                )
            except PeriodError as exc:
                form.add_error("period", str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionNotAllowed as exc:
                form.add_error("period", str(exc))
            else:
                messages.success(request, "通报已生成，请核对后提交审核。")
                return redirect("assessment:report_detail", pk=report.pk)
    reports = PeriodReport.objects.select_related("created_by", "reviewed_by").order_by("-period")
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/report_manage.html",
        {"form": form, "page": page, "can_generate": selectors.is_assessor(request.user)},
    )


class ReportForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    foreword = forms.CharField(
        label="通报说明", max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def _report_for(request: HttpRequest, pk: int) -> PeriodReport:
    report = get_object_or_404(PeriodReport, pk=pk)
    if report.status != ReportStatus.PUBLISHED and not _is_reviewer(request.user):
        raise Http404("未找到，或您无权查看。")
    return report


@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    user: Any = request.user
    form = ReportForm(initial={"title": report.title, "foreword": report.foreword})
    review = ReviewForm()
    if request.method == "POST":
        if not user.is_authenticated:
            raise PermissionDenied("请先登录。")
        act = request.POST.get("action", "")
        try:
            if act == "edit":
                form = ReportForm(request.POST)
                if form.is_valid():
                    services.report_edit(report=report, user=user, **form.cleaned_data)
                    messages.success(request, "已保存，并按最新数据重新生成。")
                    return redirect("assessment:report_detail", pk=pk)
            elif act == "submit":
                services.report_submit(report=report, user=user)
                messages.success(request, "已提交审核。")
                return redirect("assessment:report_detail", pk=pk)
            elif act == "review":
                review = ReviewForm(request.POST)
                if review.is_valid():
                    approve = review.cleaned_data["decision"] == "approve"
                    services.report_review(
                        report=report,
                        user=user,
                        approve=approve,
                        comment=review.cleaned_data["comment"],
                    )
                    messages.success(request, "通报已发布。" if approve else "已退回修改。")
                    return redirect("assessment:report_detail", pk=pk)
            else:
                messages.error(request, "未知的操作。")
        except ValidationError as exc:
            apply_errors(review if act == "review" else form, exc)
        except (TransitionNotAllowed, PermissionDenied) as exc:
            messages.error(request, str(exc))
    content = report.content
    top = max((r["score"] for r in content.get("ranking", [])), default=0) or 1
    chart = [
        {
            "name": r["department"],
            "score": r["score"],
            "bar": round(100 * r["score"] / top, 1),
            "warn": bool(r["below_floor"]),
        }
        for r in content.get("ranking", [])
    ]
    staff = _is_reviewer(user)
    return render(
        request,
        "assessment/report_detail.html",
        {
            "report": report,
            "content": content,
            "chart": chart,
            "form": form,
            "review": review,
            "staff": staff,
            "can_edit": REPORT_PROCESS.can(user, "edit", report),
            "can_submit": REPORT_PROCESS.can(user, "submit", report),
            "can_review": REPORT_PROCESS.can(user, "publish", report),
            "events": report.events.all() if staff else [],
            "published_period": PublishedPeriod.objects.filter(period=report.period).first(),
        },
    )


@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return exports.report_xlsx_response(_report_for(request, pk))


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    response = HttpResponse(exports.report_pdf(report), content_type="application/pdf")
    from qifu.core.exports import attachment_disposition

    response["Content-Disposition"] = attachment_disposition(f"{report.title}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
