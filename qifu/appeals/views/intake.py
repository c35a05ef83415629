"""Intake: the enterprise files an appeal; staff record one received by phone or in person."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from qifu.accounts.access import is_enterprise_user
from qifu.accounts.models import Enterprise
from qifu.accounts.validators import normalize_credit_code
from qifu.appeals import services
from qifu.appeals.forms import (
    AppealForm,
    RecordForm,
)
from qifu.appeals.models import (
    Appeal,
)
from qifu.appeals.services import is_platform_staff
from qifu.appeals.views.common import require_access
from qifu.core.forms import apply_errors as apply_form_errors
from qifu.core.pages import page_rule


@page_rule(
    is_enterprise_user,
    "在线提交诉求仅限企业用户；平台工作人员请使用“录入诉求”。",
    elsewhere=("appeals:record", "appeals:manage", "appeals:inbox"),
)
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    """An enterprise files an appeal."""
    user = request.user
    enterprise = user.enterprise  # type: ignore[union-attr]
    if request.method == "POST":
        form = AppealForm(request.POST, request.FILES)
        if form.is_valid():
            appeal = _file(request, form)
            if appeal is not None:
                return redirect("appeals:detail", pk=appeal.pk)
    else:
        form = AppealForm(
            initial={
                "contact_name": enterprise.contact_name or user.real_name,  # type: ignore[union-attr]
                "contact_phone": enterprise.contact_phone or user.phone,  # type: ignore[union-attr]
            }
        )
    return render(request, "appeals/new.html", {"form": form}, status=400 if form.is_bound else 200)


def _file(request: HttpRequest, form: AppealForm, **extra: Any) -> Appeal | None:
    data = form.cleaned_data
    try:
        with transaction.atomic():
            appeal, created = services.appeal_file(
                user=request.user,  # type: ignore[arg-type]
                title=data["title"],
                content=data["content"],
                category=data["category"],
                contact_name=data.get("contact_name") or "",
                contact_phone=data.get("contact_phone") or "",
                idempotency_key=data["idempotency_key"],
                **extra,
            )
            if created and data["attachments"]:
                services.appeal_attachments_add(
                    appeal=appeal,
                    user=request.user,  # type: ignore[arg-type]
                    files=data["attachments"],
                )
    except ValidationError as error:
        apply_form_errors(form, error)
        return None
    if created:
        messages.success(request, f"诉求已提交，编号{appeal.number}。请留意办理进度。")
    else:
        messages.info(request, f"该诉求已提交过（编号{appeal.number}），未重复提交。")
    return appeal


@page_rule(is_platform_staff, "录入诉求仅限平台工作人员使用。")
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    """Platform staff record an appeal received by phone, in person or from the hotline."""
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            appeal = _file(
                request,
                form,
                enterprise=data["enterprise"],
                received_at=data["received_at"],
                channel=data["channel"],
            )
            if appeal is not None:
                return redirect("appeals:detail", pk=appeal.pk)
    else:
        form = RecordForm()
    return render(
        request, "appeals/record.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
@require_GET
def enterprise_options(request: HttpRequest) -> HttpResponse:
    """htmx: <option>s for the enterprise field of the record form."""
    require_access(is_platform_staff(request.user))
    term = request.GET.get("enterprise", "").strip()
    found: list[Enterprise] = []
    if len(term) >= 2:
        found = list(
            Enterprise.objects.filter(is_active=True)
            .filter(Q(name__icontains=term) | Q(credit_code=normalize_credit_code(term)))
            .only("name", "credit_code")[:10]
        )
    return render(request, "appeals/_enterprise_options.html", {"enterprises": found})
