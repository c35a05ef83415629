"""Views of the exclusive space: the enterprise's commissioner and its service requests, the
commissioner's inbox, the enterprises they serve and the contact log. Actions are POST-only and
redirect after success."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from qifu.accounts.access import is_enterprise_user
from qifu.accounts.models import Enterprise
from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_response
from qifu.core.forms import apply_errors as _apply_errors
from qifu.core.masking import mask_phone
from qifu.core.pages import page_rule
from qifu.core.uploads import download_response
from qifu.core.workflow import action_label
from qifu.workdays.calendar import deadline_after
from qifu.workspace.forms.requests import (
    CompleteForm,
    ContactForm,
    InboxFilterForm,
    NoteForm,
    OptionalNoteForm,
    ReassignForm,
    RequestForm,
    SupplyForm,
)
from qifu.workspace.models import (
    AssignmentRole,
    RequestKind,
    ServiceRequest,
    ServiceRequestAttachment,
)
from qifu.workspace.selectors import requests as selectors
from qifu.workspace.selectors.assignments import current_assignments, serves
from qifu.workspace.selectors.requests import works_requests
from qifu.workspace.services import requests as services
from qifu.workspace.services.requests import TransitionNotAllowed
from qifu.workspace.views import coverage
from qifu.workspace.workflow import PROCESS

PAGE_SIZE = 20
EXPORT_LIMIT = 5000


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("您无权访问此页面。")


def deadline_tone(service_request: ServiceRequest, now: dt.datetime | None = None) -> str:
    """Red when past the deadline in force, yellow within one working day of it."""
    due = service_request.current_due_at
    if not isinstance(due, dt.datetime):
        return ""
    now = now or timezone.now()
    if due < now:
        return "danger"
    if due <= deadline_after(start=now, working_days=1).due_at:
        return "warning"
    return ""


# --- enterprise ------------------------------------------------------------------------------


@page_rule(
    is_enterprise_user,
    "“服务专员”页面是企业向本企业服务专员提出申请的地方，仅限企业用户。",
    elsewhere=("workspace:requests_inbox", "workspace:coverage"),
)
@require_GET
def commissioner(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    enterprise = user.enterprise
    people = {a.role: a for a in current_assignments(enterprise)}
    rows = selectors.service_requests_for_user(user).order_by("-submitted_at", "-id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/commissioner.html",
        {
            "enterprise": enterprise,
            "commissioner_row": people.get(AssignmentRole.COMMISSIONER),
            "steward_row": people.get(AssignmentRole.STEWARD),
            "page": page,
        },
    )


@page_rule(is_enterprise_user, "只有企业用户可以向服务专员提出申请。")
def request_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    enterprise = user.enterprise
    initial: dict[str, Any] = {
        "contact_name": user.real_name,
        "contact_phone": user.phone or "",
        "idempotency_key": uuid.uuid4().hex,
    }
    if request.method == "GET":
        kind = request.GET.get("kind", "")
        if kind in RequestKind.values:
            initial["kind"] = kind
        licence_id = request.GET.get("licence", "")
        if licence_id.isdigit():
            # Only the enterprise's own licence is prefilled; another's id is ignored.
            licence = enterprise.elicences.filter(pk=int(licence_id)).first()
            if licence is not None:
                initial["licence"] = licence.pk
                initial.setdefault("kind", RequestKind.LICENCE_RENEWAL)
                initial["title"] = f"{licence.name}换发"
    form = RequestForm(
        request.POST or None, request.FILES or None, initial=initial, enterprise=enterprise
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.service_request_submit(
                user=user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                licence=data["licence"],
                files=data["attachments"],
                idempotency_key=data["idempotency_key"] or "",
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"申请已提交，编号 {created.number}。")
            return redirect("workspace:request", pk=created.pk)
    has_commissioner = any(
        a.role == AssignmentRole.COMMISSIONER for a in current_assignments(enterprise)
    )
    return render(
        request,
        "workspace/request_new.html",
        {"form": form, "has_commissioner": has_commissioner},
        status=400 if form.errors else 200,
    )


# --- detail and actions ----------------------------------------------------------------------


def _get_request(request: HttpRequest, pk: int) -> ServiceRequest:
    return get_object_or_404(selectors.service_requests_for_user(request.user), pk=pk)


def _detail_context(
    request: HttpRequest, service_request: ServiceRequest, **forms: Any
) -> dict[str, Any]:
    user: Any = request.user
    is_owner = user.enterprise_id == service_request.enterprise_id
    can = PROCESS.offered(user, service_request)
    events = list(selectors.request_events(service_request))
    return {
        "sr": service_request,
        "events": events,
        "attachments": service_request.attachments.all(),
        "tone": deadline_tone(service_request),
        "contacts": service_request.contact_logs.select_related("staff") if not is_owner else [],
        "can_accept": "accept" in can,
        "can_ask_info": "ask_info" in can,
        "can_complete": "complete" in can,
        "can_supply": "supply_info" in can,
        "can_withdraw": "withdraw" in can,
        "can_reassign": "reassign" in can,
        "ask_info_form": forms.get("ask_info") or NoteForm(prefix="ask_info"),
        "complete_form": forms.get("complete") or CompleteForm(prefix="complete"),
        "supply_form": forms.get("supply_info") or SupplyForm(prefix="supply_info"),
        "withdraw_form": forms.get("withdraw") or OptionalNoteForm(prefix="withdraw"),
        "reassign_form": forms.get("reassign") or ReassignForm(prefix="reassign"),
    }


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = _get_request(request, pk)
    return render(request, "workspace/request.html", _detail_context(request, service_request))


@login_required
@require_POST
def request_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service_request = _get_request(request, pk)
    user: Any = request.user
    form: django_forms.Form | None = None
    try:
        if action == "accept":
            services.service_request_accept(user=user, service_request=service_request)
        elif action == "ask_info":
            form = NoteForm(request.POST, prefix=action)
            if form.is_valid():
                services.service_request_ask_info(
                    user=user, service_request=service_request, note=form.cleaned_data["note"]
                )
        elif action == "supply_info":
            form = SupplyForm(request.POST, request.FILES, prefix=action)
            if form.is_valid():
                services.service_request_supply_info(
                    user=user,
                    service_request=service_request,
                    note=form.cleaned_data["note"],
                    files=form.cleaned_data["attachments"],
                )
        elif action == "complete":
            form = CompleteForm(request.POST, request.FILES, prefix=action)
            if form.is_valid():
                services.service_request_complete(
                    user=user,
                    service_request=service_request,
                    result=form.cleaned_data["result"],
                    files=form.cleaned_data["result_files"],
                )
        elif action == "withdraw":
            form = OptionalNoteForm(request.POST, prefix=action)
            if form.is_valid():
                services.service_request_withdraw(
                    user=user, service_request=service_request, note=form.cleaned_data["note"]
                )
        elif action == "reassign":
            form = ReassignForm(request.POST, prefix=action)
            if form.is_valid():
                services.service_request_reassign(
                    user=user,
                    service_request=service_request,
                    to_user=form.cleaned_data["to_user"],
                    note=form.cleaned_data["note"],
                )
        else:
            raise Http404("未知的操作。")
    except TransitionNotAllowed as error:
        messages.warning(request, str(error))
        return redirect("workspace:request", pk=service_request.pk)
    except ValidationError as error:
        if form is None:
            raise
        _apply_errors(form, error)
    if form is not None and form.errors:
        context = _detail_context(request, service_request, **{action: form})
        return render(request, "workspace/request.html", context, status=400)
    messages.success(request, f"已{action_label(PROCESS.name, action)}。")
    return redirect("workspace:request", pk=service_request.pk)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(ServiceRequestAttachment.objects.only("request_id"), pk=pk)
    _get_request(request, attachment.request_id)
    attachment = ServiceRequestAttachment.objects.get(pk=pk)
    return download_response(attachment.file, name=attachment.original_name)


# --- commissioner and steward ----------------------------------------------------------------


def _inbox(request: HttpRequest) -> tuple[InboxFilterForm, Any]:
    """The inbox's filter form and the rows it selects (the page and its export share them)."""
    form = InboxFilterForm(request.GET or None)
    status = kind = ""
    sort = "deadline"
    if form.is_valid():
        status = form.cleaned_data["status"]
        kind = form.cleaned_data["kind"]
        sort = form.cleaned_data["sort"] or "deadline"
    return form, selectors.requests_inbox(request.user, status=status, kind=kind, sort=sort)


@page_rule(works_requests, "服务申请仅限服务专员和专属空间的管理机构办理。")
@require_GET
def requests_inbox(request: HttpRequest) -> HttpResponse:
    form, rows = _inbox(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    items = [(sr, deadline_tone(sr, now)) for sr in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/requests_inbox.html",
        {"form": form, "page": page, "items": items, "query": query.urlencode()},
    )


INBOX_EXPORT_COLUMNS = (
    ("编号", 18),
    ("类型", 10),
    ("标题", 36),
    ("企业", 32),
    ("统一社会信用代码", 22),
    ("状态", 10),
    ("服务专员", 10),
    ("提交时间", 17),
    ("当前时限", 17),
    ("超期", 6),
    ("办结时间", 17),
    ("联系人", 10),
    ("联系电话", 14),
)


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@page_rule(works_requests, "服务申请仅限服务专员和专属空间的管理机构办理。")
@require_GET
def requests_inbox_export(request: HttpRequest) -> HttpResponse:
    """The inbox as filtered, as an .xlsx file (EXPORT_LIMIT rows at most); phones masked."""
    _form, rows = _inbox(request)
    filters = {k: str(v) for k, v in request.GET.items() if k != "page"}
    audit_record(
        action="workspace.requests.export",
        actor=request.user,
        summary=f"导出服务申请 {urlencode(filters)}"[:500],
        data={"filters": filters},
    )
    now = timezone.now()
    return xlsx_response(
        filename=f"服务申请-{timezone.localtime(now):%Y%m%d%H%M}.xlsx",
        sheet_title="服务申请",
        headers=[title for title, _ in INBOX_EXPORT_COLUMNS],
        widths=[width for _, width in INBOX_EXPORT_COLUMNS],
        rows=(
            (
                sr.number,
                sr.get_kind_display(),
                sr.title,
                sr.enterprise.name,
                sr.enterprise.credit_code,
                sr.get_status_display(),
                sr.commissioner.real_name or sr.commissioner.username if sr.commissioner else "",
                _local(sr.submitted_at),
                _local(sr.current_due_at),
                "是" if sr.is_overdue else "",
                _local(sr.completed_at),
                sr.contact_name,
                mask_phone(sr.contact_phone),
            )
            for sr in rows[:EXPORT_LIMIT].iterator(chunk_size=500)
        ),
    )


@page_rule(
    selectors.is_server,
    "“我服务的企业”仅限服务专员和项目管家查看。",
    elsewhere=("workspace:coverage",),
)
@require_GET
def served(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = selectors.served_enterprises(user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "workspace/served.html", {"page": page})


def _served_enterprise_or_404(request: HttpRequest, pk: int) -> Enterprise:
    enterprise = Enterprise.objects.select_related("region").filter(pk=pk).first()
    if enterprise is None or not serves(request.user, enterprise):
        raise Http404("未找到，或您无权查看。")
    return enterprise


@login_required
@require_GET
def served_enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _served_enterprise_or_404(request, pk)
    return render(
        request,
        "workspace/served_enterprise.html",
        {
            "enterprise": enterprise,
            "people": current_assignments(enterprise),
            "requests": enterprise.service_requests.select_related("commissioner")[:50],
            "contacts": selectors.contact_logs_for(enterprise)[:50],
        },
    )


@login_required
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _served_enterprise_or_404(request, pk)
    form = ContactForm(request.POST or None, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_log_create(
                user=request.user,  # type: ignore[arg-type]
                enterprise=enterprise,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                summary=data["summary"],
                service_request=data["service_request"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "走访联系记录已保存。")
            return redirect("workspace:served_enterprise", pk=enterprise.pk)
    return render(
        request,
        "workspace/contact_new.html",
        {"form": form, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("commissioner/", commissioner, name="commissioner"),
    path("requests/new/", request_new, name="request_new"),
    path("requests/<int:pk>/", request_detail, name="request"),
    path("requests/<int:pk>/<slug:action>/", request_act, name="request_act"),
    path("request-files/<int:pk>/", attachment_download, name="request_attachment"),
    path("inbox/", requests_inbox, name="requests_inbox"),
    path("inbox/export/", requests_inbox_export, name="requests_inbox_export"),
    path("served/", served, name="served"),
    path("served/<int:pk>/", served_enterprise, name="served_enterprise"),
    path("served/<int:pk>/contact/", contact_new, name="contact_new"),
    # The coverage pages of the agency running the space live in their own module.
    *coverage.urlpatterns,
]
