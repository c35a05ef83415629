"""我要办事 pages: the public catalogue and guides, the enterprise's applications, the
department's inbox. Actions are POST-only and redirect."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from qifu.accounts.access import get_for_user_or_404, is_enterprise_user
from qifu.core.forms import apply_errors as _apply_errors
from qifu.core.pages import page_rule
from qifu.core.uploads import download_response
from qifu.core.workflow import action_label
from qifu.matters import selectors, services
from qifu.matters.forms import ApplicationForm, NoteForm, ReasonForm, ResubmitForm, SearchForm
from qifu.matters.models import MatterApplication, MatterMaterial, Status
from qifu.matters.services import TransitionNotAllowed
from qifu.matters.workflow import PROCESS

INBOX_LIMIT = 200


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("您无权访问此页面。")


def _is_department_user(user: Any) -> bool:
    return bool(user.is_government and user.department_id)


def can_review_applications(user: Any) -> bool:
    """Departments review the applications for their matters; a superuser sees all."""
    return bool(user.is_authenticated and (_is_department_user(user) or user.is_superuser))


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = stage = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        stage = form.cleaned_data["stage"]
    matters = selectors.matters_search(query=query, life_stage=stage)
    groups = selectors.catalogue_groups(matters)
    return render(
        request,
        "matters/catalogue.html",
        {"form": form, "groups": groups, "query": query, "count": sum(len(g[2]) for g in groups)},
    )


@require_GET
def matter_detail(request: HttpRequest, code: str) -> HttpResponse:
    matter = get_object_or_404(selectors.matters_active(), code=code)
    return render(request, "matters/detail.html", {"matter": matter})


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    _require(bool(request.user.enterprise_id))  # type: ignore[union-attr]
    matter = get_object_or_404(selectors.matters_active(), code=code)
    if not matter.is_online:
        messages.info(request, "该事项不在平台内在线办理，请按办事指南办理。")
        return redirect("matters:detail", code=matter.code)
    user: Any = request.user
    initial = {"contact_name": user.real_name or "", "contact_phone": user.phone or ""}
    form = ApplicationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.matter_application_apply(
                user=user,
                matter=matter,
                contact_name=form.cleaned_data["contact_name"],
                contact_phone=form.cleaned_data["contact_phone"],
                description=form.cleaned_data["description"],
                files=form.cleaned_data["materials"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"申请已提交，办件编号 {application.number}。")
            return redirect("matters:application", pk=application.pk)
    return render(request, "matters/apply.html", {"matter": matter, "form": form})


@page_rule(is_enterprise_user, "“我的办件”仅限企业用户查看。", elsewhere=("matters:inbox",))
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    enterprise = user.enterprise
    return render(
        request,
        "matters/mine.html",
        {
            "applications": selectors.matter_applications_for(enterprise)[:INBOX_LIMIT],
            "licences": selectors.elicences_for(enterprise),
        },
    )


@page_rule(can_review_applications, "办件审查仅限事项的实施部门使用。")
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    rows = selectors.department_inbox(user=user, status=status)[:INBOX_LIMIT]
    statuses = [(v, label) for v, label in Status.choices if v != Status.DRAFT]
    return render(
        request, "matters/inbox.html", {"rows": rows, "status": status, "statuses": statuses}
    )


def _get_application(request: HttpRequest, pk: int) -> MatterApplication:
    return get_for_user_or_404(
        MatterApplication.objects.select_related("matter", "matter__department", "enterprise"),
        request.user,
        pk=pk,
    )


def _detail_context(
    request: HttpRequest, application: MatterApplication, **forms: Any
) -> dict[str, Any]:
    user: Any = request.user
    can = PROCESS.offered(user, application)
    return {
        "application": application,
        "events": selectors.application_timeline(application),
        "materials": application.attachments.all(),
        "licence": getattr(application, "elicence", None),
        "can_accept": "accept" in can,
        "can_supplement": "supplement" in can,
        "can_approve": "approve" in can,
        "can_refuse": "refuse" in can,
        "can_resubmit": "resubmit" in can,
        "supplement_form": forms.get("supplement") or ReasonForm(prefix="supplement"),
        "refuse_form": forms.get("refuse") or ReasonForm(prefix="refuse"),
        "approve_form": forms.get("approve") or NoteForm(prefix="approve"),
        "resubmit_form": forms.get("resubmit") or ResubmitForm(prefix="resubmit"),
    }


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_application(request, pk)
    return render(request, "matters/application.html", _detail_context(request, application))


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _get_application(request, pk)
    user: Any = request.user
    form: django_forms.Form | None = None
    try:
        if action == "accept":
            services.matter_application_accept(user=user, application=application)
        elif action in ("supplement", "refuse"):
            form = ReasonForm(request.POST, prefix=action)
            if form.is_valid():
                fn = (
                    services.matter_application_request_supplement
                    if action == "supplement"
                    else services.matter_application_refuse
                )
                fn(user=user, application=application, reason=form.cleaned_data["reason"])
        elif action == "approve":
            form = NoteForm(request.POST, prefix=action)
            if form.is_valid():
                services.matter_application_approve(
                    user=user, application=application, note=form.cleaned_data["note"]
                )
        elif action == "resubmit":
            form = ResubmitForm(request.POST, request.FILES, prefix=action)
            if form.is_valid():
                services.matter_application_submit(
                    user=user,
                    application=application,
                    files=form.cleaned_data["materials"],
                    note=form.cleaned_data["note"],
                )
        else:
            return HttpResponse(status=404)
    except TransitionNotAllowed as error:
        messages.warning(request, str(error))
        return redirect("matters:application", pk=application.pk)
    except ValidationError as error:
        assert form is not None
        _apply_errors(form, error)
    if form is not None and form.errors:
        context = _detail_context(request, application, **{action: form})
        return render(request, "matters/application.html", context, status=400)
    messages.success(request, f"已{action_label(PROCESS.name, action)}。")
    return redirect("matters:application", pk=application.pk)


@login_required
@require_GET
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = get_object_or_404(MatterMaterial.objects.select_related("application"), pk=pk)
    _get_application(request, material.application_id)
    return download_response(material.file, name=material.original_name)
