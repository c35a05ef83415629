"""Coverage (服务覆盖): who has no commissioner or steward, each person's load, assigning by the
rules or by hand, hand-over, and the assignment rules. For the agency running the space."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST

from qifu.accounts.models import Enterprise
from qifu.core.pages import page_rule
from qifu.workspace.forms.requests import AssignForm, CoverageFilterForm, HandoverForm, RuleForm
from qifu.workspace.models import AssignmentRole, AssignmentRule
from qifu.workspace.selectors.assignments import enterprises_without
from qifu.workspace.selectors.requests import is_space_admin, people_loads
from qifu.workspace.services import assignments as services

PAGE_SIZE = 25
ROLE_LABELS = dict(AssignmentRole.choices)


def _require_admin(request: HttpRequest) -> None:
    if not is_space_admin(request.user):
        raise PermissionDenied("只有专属空间的管理机构可以查看服务覆盖。")


def _role(value: str | None) -> str:
    return value if value in ROLE_LABELS else AssignmentRole.COMMISSIONER


def _back(role: str) -> HttpResponse:
    return redirect(f"{reverse('workspace:coverage')}?role={role}")


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@page_rule(is_space_admin, "服务覆盖仅限专属空间的管理机构查看。")
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    role = _role(request.GET.get("role"))
    form = CoverageFilterForm(request.GET or None, initial={"role": role})
    town = None
    industry = ""
    if form.is_valid():
        town = form.cleaned_data["town"]
        industry = form.cleaned_data["industry"]
    gaps = enterprises_without(role, town=town.pk if town else None, industry=industry)
    page = Paginator(gaps, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workspace/coverage.html",
        {
            "role": role,
            "role_label": ROLE_LABELS[role],
            "roles": AssignmentRole.choices,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "people": list(people_loads(role)),
            "assign_form": AssignForm(role=role, initial={"role": role}),
            "handover_form": HandoverForm(role=role, initial={"role": role}),
            "rule_form": RuleForm(role=role, initial={"role": role}),
            "rules": AssignmentRule.objects.filter(role=role).select_related("user", "region"),
        },
    )


@login_required
@require_POST
def coverage_auto(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    role = _role(request.POST.get("role"))
    counts = services.assignments_auto_fill(role=role, actor=request.user)
    messages.success(
        request,
        f"已按规则分配{ROLE_LABELS[role]} {counts['assigned']} 家；"
        f"{counts['unmatched']} 家没有匹配的规则，请手工指定。",
    )
    return _back(role)


@login_required
@require_POST
def coverage_assign(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    role = _role(request.POST.get("role"))
    form = AssignForm(request.POST, role=role)
    if form.is_valid():
        enterprise = get_object_or_404(Enterprise, pk=form.cleaned_data["enterprise"])
        try:
            services.assignment_set(
                enterprise=enterprise,
                role=role,
                user=form.cleaned_data["user"],
                actor=request.user,
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, f"已为{enterprise.name}指定{ROLE_LABELS[role]}。")
    else:
        messages.error(request, "请选择人员。")
    return _back(role)


@login_required
@require_POST
def coverage_handover(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    role = _role(request.POST.get("role"))
    form = HandoverForm(request.POST, role=role)
    if form.is_valid():
        try:
            moved = services.assignments_handover(
                from_user=form.cleaned_data["from_user"],
                to_user=form.cleaned_data["to_user"],
                role=role,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, f"已交接 {moved} 家企业（未办结的服务申请一并转交）。")
    else:
        messages.error(request, "请选择交出人和接手人。")
    return _back(role)


@login_required
@require_POST
def rule_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    role = _role(request.POST.get("role"))
    form = RuleForm(request.POST, role=role)
    if form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            services.assignment_rule_create(
                actor=request.user,
                role=role,
                user=data["user"],
                region=data["region"],
                industry_prefix=data["industry_prefix"],
                priority=data["priority"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, "分配规则已添加。")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return _back(role)


@login_required
@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    rule = get_object_or_404(AssignmentRule, pk=pk)
    services.assignment_rule_toggle(actor=request.user, rule=rule)
    messages.success(request, "规则已" + ("启用。" if rule.is_active else "停用。"))
    return _back(rule.role)


urlpatterns: list[URLPattern] = [
    path("coverage/", coverage, name="coverage"),
    path("coverage/auto/", coverage_auto, name="coverage_auto"),
    path("coverage/assign/", coverage_assign, name="coverage_assign"),
    path("coverage/handover/", coverage_handover, name="coverage_handover"),
    path("coverage/rules/", rule_create, name="rule_create"),
    path("coverage/rules/<int:pk>/toggle/", rule_toggle, name="rule_toggle"),
]
