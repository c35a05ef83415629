"""Views of the exclusive space: e-licences (电子证照), their import, and the annual report."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from qifu.accounts.models import Department, DepartmentKind, Enterprise
from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_response
from qifu.core.masking import mask_phone
from qifu.core.pages import page_rule
from qifu.workspace.forms.licences import AnnualReportMarkForm, LicenceImportForm
from qifu.workspace.models import ReminderClaim, ReminderKind
from qifu.workspace.reminders import licence_reminder_subject
from qifu.workspace.selectors import licences as selectors
from qifu.workspace.selectors.requests import is_space_admin, reads_annual_reports
from qifu.workspace.selectors.space import can_view_space, is_own_space, space_enterprise_get
from qifu.workspace.services.annual_reports import (
    AnnualReportNotAllowed,
    annual_report_mark,
    annual_report_unmark,
    can_mark_annual_report,
)
from qifu.workspace.services.licences import licences_import_file

ANNUAL_PAGE_SIZE = 20
ANNUAL_EXPORT_LIMIT = 5000


def _enterprise_for(request: HttpRequest) -> Enterprise:
    """The user's own enterprise, or the one named by `?enterprise=<credit code>` for staff."""
    user: Any = request.user
    code = request.GET.get("enterprise", "").strip().upper()
    if user.enterprise_id is not None and code in ("", user.enterprise.credit_code):
        return user.enterprise  # type: ignore[no-any-return]
    if not code:
        raise Http404("请指定企业。")
    return space_enterprise_get(user=user, credit_code=code)


@login_required
def licences(request: HttpRequest) -> HttpResponse:
    enterprise = _enterprise_for(request)
    today = timezone.localdate()
    rows = selectors.licence_rows(selectors.licences_of(enterprise), today=today)
    own = is_own_space(request.user, enterprise)
    return render(
        request,
        "workspace/licences.html",
        {
            "enterprise": enterprise,
            "own": own,
            "rows": [
                (row, selectors.licence_renewal_url(row.licence) if own else "") for row in rows
            ],
            "counts": selectors.licence_counts(rows),
            "warn_days": selectors.licence_warn_days(),
            "can_import": request.user.administers_section("space"),  # type: ignore[union-attr]
        },
    )


@login_required
def licence(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.licences_for_user(request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404("未找到，或您无权查看。")
    own = is_own_space(request.user, obj.enterprise)
    reminders = ReminderClaim.objects.filter(
        kind=ReminderKind.LICENCE_EXPIRY, subject=licence_reminder_subject(obj)
    ).order_by("sent_at")
    return render(
        request,
        "workspace/licence.html",
        {
            "row": selectors.licence_row(obj, today=timezone.localdate()),
            "licence": obj,
            "own": own,
            "renewal_url": selectors.licence_renewal_url(obj) if own else "",
            "reminders": reminders,
        },
    )


@page_rule(is_space_admin, "只有专属空间版块的平台工作人员可以导入证照。")
def licence_import(request: HttpRequest) -> HttpResponse:
    report = None
    form = LicenceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / f"licences{suffix}"
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                report = licences_import_file(
                    path=target, dry_run=form.cleaned_data["dry_run"], actor=request.user
                )
            except UnicodeDecodeError:
                form.add_error("file", "CSV 文件应为 UTF-8 编码（Excel 中“另存为 CSV UTF-8”）。")
            except (OSError, ValueError) as exc:
                form.add_error("file", f"无法读取文件：{exc}")
    return render(request, "workspace/licence_import.html", {"form": form, "report": report})


@page_rule(reads_annual_reports, "年报情况仅限服务专员和平台工作人员查看。")
def annual_reports(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    year = selectors.report_year_for(today)
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()[:100]
    region = request.GET.get("region", "")
    rows = selectors.annual_report_overview(
        user, year=year, today=today, state=state, q=q, region=region
    )
    page = Paginator(rows, ANNUAL_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [
        (
            enterprise,
            selectors.annual_report_status_from(
                enterprise_id=enterprise.pk,
                founded_on=enterprise.founded_on,
                reported_on=enterprise.reported_on,  # type: ignore[attr-defined]
                today=today,
                year=year,
            ),
            user.is_platform_staff or enterprise.user_is_commissioner,  # type: ignore[attr-defined]
        )
        for enterprise in page.object_list
    ]
    query_no_page = urlencode(
        {k: v for k, v in (("state", state), ("q", q), ("region", region)) if v}
    )
    return render(
        request,
        "workspace/annual_reports.html",
        {
            "year": year,
            "deadline": selectors.report_deadline(year),
            "entries": entries,
            "page": page,
            "state": state,
            "q": q,
            "region": region,
            "states": list(selectors.REPORT_STATE_LABELS.items()),
            "towns": Department.objects.filter(kind=DepartmentKind.TOWN, is_active=True),
            "query_no_page": query_no_page,
            "today": today,
            "can_import": user.administers_section("space"),
        },
    )


ANNUAL_EXPORT_COLUMNS = (
    ("企业名称", 34),
    ("统一社会信用代码", 22),
    ("镇街", 12),
    ("年度", 6),
    ("年报状态", 12),
    ("报送日期", 12),
    ("服务专员", 10),
    ("联系人", 10),
    ("联系电话", 14),
)


@login_required
def annual_reports_export(request: HttpRequest) -> HttpResponse:
    """The annual-report list as filtered, as an .xlsx file; phones masked, audited."""
    user: Any = request.user
    if user.enterprise_id is not None or not (user.is_government or user.is_superuser):
        raise PermissionDenied("只有服务专员和平台工作人员可以导出。")
    # The same filters as annual_reports(), read the same way.
    filters = {
        "state": request.GET.get("state", ""),
        "q": request.GET.get("q", "").strip()[:100],
        "region": request.GET.get("region", ""),
    }
    today = timezone.localdate()
    year = selectors.report_year_for(today)
    rows = selectors.annual_report_overview(user, year=year, today=today, **filters)
    audit_record(
        action="workspace.annual_reports.export",
        actor=user,
        summary=f"导出{year}年度企业年报 {urlencode(filters)}"[:500],
        data={"year": year, "filters": {k: v for k, v in filters.items() if v}},
    )

    def line(enterprise: Any) -> tuple[Any, ...]:
        status = selectors.annual_report_status_from(
            enterprise_id=enterprise.pk,
            founded_on=enterprise.founded_on,
            reported_on=enterprise.reported_on,
            today=today,
            year=year,
        )
        return (
            enterprise.name,
            enterprise.credit_code,
            enterprise.region.name if enterprise.region else "",
            year,
            status.label,
            status.reported_on.isoformat() if status.reported_on else "",
            enterprise.commissioner_name or "未分配",
            enterprise.contact_name,
            mask_phone(enterprise.contact_phone),
        )

    return xlsx_response(
        filename=f"企业年报-{year}年度-{today:%Y%m%d}.xlsx",
        sheet_title=f"{year}年度企业年报",
        headers=[title for title, _ in ANNUAL_EXPORT_COLUMNS],
        widths=[width for _, width in ANNUAL_EXPORT_COLUMNS],
        rows=(line(e) for e in rows[:ANNUAL_EXPORT_LIMIT].iterator(chunk_size=500)),
    )


def _annual_target(request: HttpRequest) -> Enterprise:
    """The enterprise named in the POST, if the user may see it (404 otherwise, never 403)."""
    user: Any = request.user
    raw = request.POST.get("enterprise", "")
    if not raw and user.enterprise_id is not None:
        return user.enterprise  # type: ignore[no-any-return]
    enterprise = Enterprise.objects.filter(pk=raw).first() if raw.isdigit() else None
    if enterprise is None or not can_view_space(user, enterprise):
        raise Http404("未找到，或您无权查看。")
    return enterprise


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("workspace:home")


@login_required
@require_POST
def annual_mark(request: HttpRequest) -> HttpResponse:
    enterprise = _annual_target(request)
    if not can_mark_annual_report(request.user, enterprise):
        raise PermissionDenied("只有企业管理员、该企业的服务专员和平台工作人员可以标记年报。")
    form = AnnualReportMarkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"未能标记：{error}")
        return _back(request)
    try:
        annual_report_mark(
            user=request.user,
            enterprise=enterprise,
            year=form.cleaned_data["year"],
            reported_on=form.cleaned_data["reported_on"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"未能标记：{message}")
    except AnnualReportNotAllowed as exc:
        messages.info(request, str(exc))
    else:
        messages.success(
            request, f"已标记{enterprise.name}{form.cleaned_data['year']}年度年报为已报送。"
        )
    return _back(request)


@login_required
@require_POST
def annual_unmark(request: HttpRequest) -> HttpResponse:
    enterprise = _annual_target(request)
    if not can_mark_annual_report(request.user, enterprise):
        raise PermissionDenied("只有企业管理员、该企业的服务专员和平台工作人员可以撤销标记。")
    year_raw = request.POST.get("year", "")
    if not year_raw.isdigit():
        messages.error(request, "未能撤销：年度不正确。")
        return _back(request)
    try:
        annual_report_unmark(user=request.user, enterprise=enterprise, year=int(year_raw))
    except AnnualReportNotAllowed as exc:
        messages.info(request, str(exc))
    else:
        messages.success(request, f"已撤销{enterprise.name}{year_raw}年度年报的“已报送”标记。")
    return _back(request)


urlpatterns: list[URLPattern] = [
    path("licences/", licences, name="licences"),
    path("licences/<int:pk>/", licence, name="licence"),
    path("licences/import/", licence_import, name="licence_import"),
    path("annual-reports/", annual_reports, name="annual_reports"),
    path("annual-reports/export/", annual_reports_export, name="annual_reports_export"),
    path("annual-reports/mark/", annual_mark, name="annual_mark"),
    path("annual-reports/undo/", annual_unmark, name="annual_unmark"),
]
