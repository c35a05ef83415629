"""项目申报 pages: public calls and publicity, the enterprise's applications, department review."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import is_enterprise_user, is_government
from qifu.core.forms import apply_errors
from qifu.core.pages import page_rule
from qifu.declarations import selectors, services
from qifu.declarations.eligibility import describe_criteria
from qifu.declarations.forms import (
    ApplicationFilterForm,
    ApplicationForm,
    CallForm,
    ObjectionAnswerForm,
    ObjectionForm,
    ReasonForm,
)
from qifu.declarations.models import Application, ApplicationStatus, Call
from qifu.declarations.workflow import PROCESS
from qifu.publishing import services as publishing
from qifu.publishing.selectors import publication_history
from qifu.publishing.views import workflow_actions

PAGE_SIZE = 20


# Government staff (or a superuser) manage calls; only enterprises apply.
government_required = page_rule(is_government, "仅限政府部门工作人员使用。")
enterprise_required = page_rule(is_enterprise_user, "仅限企业用户申报。")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- public ------------------------------------------------------------------------------------


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    calls = list(selectors.call_public_list()[:200])
    return render(
        request,
        "declarations/call_list.html",
        {
            "open_calls": [c for c in calls if c.is_open(today)],
            "upcoming_calls": [c for c in calls if c.opens_on > today],
            "closed_calls": [c for c in calls if c.closes_on < today],
        },
    )


@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_public(pk=pk)
    user: Any = request.user
    verdict = application = None
    if user.is_authenticated and user.enterprise_id:
        verdict = services.call_eligibility(call=call, enterprise=user.enterprise)
        application = Application.objects.filter(
            call=call, enterprise_id=user.enterprise_id
        ).first()
    return render(
        request,
        "declarations/call_detail.html",
        {
            "call": call,
            "criteria_words": describe_criteria(call.effective_criteria, call.effective_industries),
            "is_open": call.is_open(),
            "verdict": verdict,
            "application": application,
        },
    )


@require_GET
def publicity(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "declarations/publicity.html",
        {"items": selectors.publicity_list()[:200], "form": ObjectionForm()},
    )


@login_required
@require_POST
def objection_new(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.publicity_get(pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        items = selectors.publicity_list()[:200]
        return render(
            request,
            "declarations/publicity.html",
            {"items": items, "form": form, "failed_pk": pk},
            status=400,
        )
    try:
        services.objection_file(
            application=application, user=request.user, reason=form.cleaned_data["reason"]
        )
    except (services.TransitionNotAllowed, ValidationError) as exc:
        messages.error(request, str(exc) if not isinstance(exc, ValidationError) else _errors(exc))
        return redirect("declarations:publicity")
    messages.success(request, "异议已提交，部门将核实并答复。")
    return redirect("declarations:publicity")


# --- the enterprise ----------------------------------------------------------------------------


@enterprise_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_public(pk=pk)
    user: Any = request.user
    application = Application.objects.filter(call=call, enterprise_id=user.enterprise_id).first()
    if application is not None and not application.is_editable:
        messages.info(request, "该申报已提交，不能再修改。")
        return redirect("declarations:application_detail", pk=application.pk)
    uploaded = {f.material: f.original_name for f in application.files.all()} if application else {}
    initial = (
        {
            "project_name": application.project_name,
            "summary": application.summary,
            "amount": application.amount,
        }
        if application
        else None
    )
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        call=call,
        uploaded=uploaded,
        initial=initial,
    )
    verdict = services.call_eligibility(call=call, enterprise=user.enterprise)
    context = {"call": call, "form": form, "application": application, "verdict": verdict}
    if request.method == "GET" or not form.is_valid():
        return render(
            request,
            "declarations/application_form.html",
            context,
            status=400 if request.method == "POST" else 200,
        )
    try:
        application = services.application_save_draft(
            user=user,
            call=call,
            project_name=form.cleaned_data["project_name"],
            summary=form.cleaned_data["summary"],
            amount=form.cleaned_data["amount"],
            files=form.files_by_material(),
            application=application,
        )
    except ValidationError as exc:
        apply_errors(form, exc)
        return render(request, "declarations/application_form.html", context, status=400)
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("declarations:call_detail", pk=call.pk)
    if "submit" in request.POST:
        try:
            services.application_submit(application=application, user=user)
        except ValidationError as exc:
            messages.error(request, "草稿已保存，但未能提交：" + _errors(exc))
            return redirect("declarations:apply", pk=call.pk)
        messages.success(request, "申报已提交，请留意审核进度。")
        return redirect("declarations:application_detail", pk=application.pk)
    messages.success(request, "草稿已保存。材料齐全后请点击“提交申报”。")
    return redirect("declarations:apply", pk=call.pk)


@enterprise_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.application_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "declarations/my_applications.html", {"page": page})


@enterprise_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    try:
        services.application_submit(application=application, user=request.user)
    except (services.TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "申报已提交，请留意审核进度。")
    return redirect("declarations:application_detail", pk=pk)


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    return _render_detail(request, application)


def _render_detail(
    request: HttpRequest,
    application: Application,
    *,
    reason_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    is_reviewer = services.is_call_department(user, application.call)
    offered = PROCESS.offered(user, application)
    actions = {name: name in offered for name in ("accept", "return", "reject", "approve")}
    return render(
        request,
        "declarations/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "timeline": selectors.application_timeline(application=application),
            "files": application.files.all(),
            "objections": application.objections.select_related("filed_by").all(),
            "is_reviewer": is_reviewer,
            "is_owner": user.enterprise_id == application.enterprise_id,
            "actions": actions,
            "reason_form": reason_form or ReasonForm(),
            "answer_form": ObjectionAnswerForm(),
        },
        status=status,
    )


# --- the department ----------------------------------------------------------------------------

DECISIONS = {
    "accept": "已受理。",
    "return": "已退回企业补正。",
    "reject": "已作出不予通过决定。",
    "approve": "已审核通过。",
}


@government_required
@require_POST
def application_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in DECISIONS:
        raise Http404("未知操作。")
    application = selectors.application_get_for_user(user=request.user, pk=pk)
    user = request.user
    try:
        if action == "accept":
            services.application_accept(application=application, user=user)
        elif action == "approve":
            services.application_approve(
                application=application, user=user, note=request.POST.get("reason", "")
            )
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                return _render_detail(request, application, reason_form=form, status=400)
            decide = (
                services.application_return if action == "return" else services.application_reject
            )
            decide(application=application, user=user, reason=form.cleaned_data["reason"])
    except (services.TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect("declarations:application_detail", pk=pk)
    messages.success(request, DECISIONS[action])
    return redirect("declarations:application_detail", pk=pk)


@government_required
@require_POST
def objection_reply(request: HttpRequest, pk: int) -> HttpResponse:
    objection = selectors.objection_get_for_user(user=request.user, pk=pk)
    form = ObjectionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择核实结论并填写答复内容。")
        return redirect("declarations:application_detail", pk=objection.application_id)
    try:
        services.objection_answer(
            objection=objection,
            user=request.user,
            upheld=form.cleaned_data["upheld"],
            answer=form.cleaned_data["answer"],
        )
    except (services.TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已答复异议。")
    return redirect("declarations:application_detail", pk=objection.application_id)


@government_required
@require_GET
def manage_calls(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.call_manage_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "declarations/manage_calls.html", {"page": page})


@government_required
@require_http_methods(["GET", "POST"])
def call_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.department_id is None:
        raise PermissionDenied("您不属于任何部门，不能发布申报通知。")
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(author=user, **form.call_fields())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存为草稿。确认无误后请提交审核。")
            return redirect("declarations:call_edit", pk=call.pk)
    return render(
        request,
        "declarations/call_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _call_actions(user: Any, call: Call) -> dict[str, bool]:
    """Which publishing buttons to show: the publishing table's rules."""
    return workflow_actions(user, call)


@government_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_for_user(user=request.user, pk=pk)
    actions = _call_actions(request.user, call)
    form = None
    if actions["edit"]:
        form = CallForm(request.POST or None, instance=copy.copy(call))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有提供单位的工作人员可以修改此内容。")
        if form.is_valid():
            try:
                services.call_update(call=call, actor=request.user, **form.call_fields())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("declarations:call_edit", pk=pk)
    return render(
        request,
        "declarations/call_edit.html",
        {
            "call": call,
            "form": form,
            "actions": actions,
            "return_form": ReasonForm(),
            "history": publication_history(item=call),
        },
        status=400 if form is not None and form.errors else 200,
    )


@government_required
@require_POST
def call_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    call = selectors.call_get_for_user(user=request.user, pk=pk)
    user = request.user
    try:
        if action == "submit":
            publishing.publication_submit(item=call, actor=user)
        elif action == "approve":
            publishing.publication_approve(item=call, actor=user)
        elif action == "return":
            publishing.publication_return(
                item=call, actor=user, reason=request.POST.get("reason", "")
            )
        elif action == "publish":
            publishing.publication_publish(item=call, actor=user)
        elif action == "withdraw":
            publishing.publication_withdraw(item=call, actor=user)
        else:
            raise Http404("未知操作。")
    except (publishing.TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "操作成功。")
    return redirect("declarations:call_edit", pk=pk)


@government_required
@require_GET
def call_applications(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_for_user(user=request.user, pk=pk)
    if not services.is_call_department(request.user, call):
        raise Http404("未找到，或您无权查看。")
    filters = ApplicationFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    page = Paginator(
        selectors.application_list(user=request.user, call=call, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "declarations/call_applications.html",
        {
            "call": call,
            "page": page,
            "filters": filters,
            "approved_count": call.applications.filter(status=ApplicationStatus.APPROVED).count(),
        },
    )


@government_required
@require_POST
def results_publish(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_get_for_user(user=request.user, pk=pk)
    try:
        count = services.results_publish(call=call, user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"已将{count}个审核通过的项目进行公示。")
    return redirect("declarations:applications", pk=pk)
