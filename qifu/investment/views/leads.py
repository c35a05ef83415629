"""招商项目管理: the pipeline list, a lead's page and its actions, follow-up tasks, visits."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qifu.accounts.access import get_for_user_or_404
from qifu.core.uploads import download_response
from qifu.investment import access, pipeline
from qifu.investment.fields import EDITABLE_FIELDS
from qifu.investment.forms import (
    AdvanceForm,
    AssignForm,
    ContactForm,
    DocumentForm,
    LeadFilterForm,
    LeadForm,
    MemberForm,
    NewLeadForm,
    PlanForm,
    TaskForm,
    TerminateForm,
    VisitForm,
)
from qifu.investment.models import (
    NODE_ORDER,
    FollowUpTask,
    Lead,
    LeadDocument,
    LeadMember,
    LeadNode,
    Stage,
    TaskStatus,
    Visit,
)
from qifu.investment.selectors.analysis import Dataset
from qifu.investment.services import leads as services
from qifu.investment.services.visits import task_complete, task_create, visit_save
from qifu.investment.views.common import (
    export_response,
    form_errors,
    investment_staff_required,
    pipeline_reader_required,
)

PAGE_SIZE = 20
EXPORT_LIMIT = 5000


def lead_list_queryset(user: Any, data: dict[str, Any]) -> Any:
    qs = Lead.objects.for_user(user).select_related("owner", "chain", "team")
    if data.get("stage"):
        qs = qs.filter(stage=data["stage"])
    if data.get("chain"):
        qs = qs.filter(chain=data["chain"])
    if data.get("origin"):
        qs = qs.filter(origin=data["origin"])
    if data.get("q"):
        qs = qs.filter(Q(company__icontains=data["q"]) | Q(reference__icontains=data["q"]))
    if data.get("slipping"):
        qs = qs.open().filter(next_due_at__lt=timezone.now())
    if data.get("mine"):
        qs = qs.filter(
            Q(owner=user)
            | Q(Exists(LeadMember.objects.filter(lead=OuterRef("pk"), user=user)))
            | Q(Exists(LeadNode.objects.filter(lead=OuterRef("pk"), owner=user)))
        )
    return qs


@pipeline_reader_required
@require_GET
def projects(request: HttpRequest) -> HttpResponse:
    form = LeadFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    qs = lead_list_queryset(request.user, data)
    if request.GET.get("export"):
        rows = [
            [
                lead.reference,
                lead.company,
                lead.get_stage_display(),  # type: ignore[attr-defined]
                lead.origin_label,
                lead.industry,
                lead.chain.name if lead.chain else "",
                float(lead.amount) if lead.amount is not None else "",
                lead.owner.real_name if lead.owner else "",
                timezone.localtime(lead.intent_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(lead.next_due_at).strftime("%Y-%m-%d")
                if lead.next_due_at
                else "",
                "是" if lead.is_slipping else "",
            ]
            for lead in qs[:EXPORT_LIMIT]
        ]
        dataset = Dataset(
            "projects",
            "招商项目",
            [
                "编号",
                "企业",
                "节点",
                "来源地",
                "行业",
                "产业链",
                "计划投资（万元）",
                "负责人",
                "登记时间",
                "下一节点计划",
                "滞后",
            ],
            rows,
        )
        return export_response(request, [dataset])  # type: ignore[return-value]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    stage_counts = dict(
        Lead.objects.for_user(request.user).values_list("stage").annotate(n=Count("id"))
    )
    return render(
        request,
        "investment/staff/projects.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "stages": [
                (s, Stage(s).label, stage_counts.get(s, 0)) for s in [*NODE_ORDER, Stage.TERMINATED]
            ],
            "can_create": access.is_investment_staff(request.user),
            "now": timezone.now(),
        },
    )


@investment_staff_required
@require_http_methods(["GET", "POST"])
def lead_new(request: HttpRequest) -> HttpResponse:
    form = NewLeadForm(request.POST or None, initial={"owner": request.user.pk})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        try:
            lead = services.lead_create(
                actor=request.user,
                origin=form.cleaned_data["origin"],
                owner=form.cleaned_data.get("owner"),
                **values,
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, f"已录入，编号 {lead.reference}。")
            if lead.duplicate_of_id:
                messages.warning(request, f"疑似与 {lead.duplicate_of.reference} 重复，请核实。")  # type: ignore[union-attr]
            return redirect("investment:lead", pk=lead.pk)
    return render(request, "investment/staff/lead_new.html", {"form": form})


def _lead(request: HttpRequest, pk: int) -> Lead:
    return get_for_user_or_404(
        Lead.objects.select_related(
            "owner",
            "team",
            "chain",
            "chain_link",
            "park",
            "town",
            "enterprise",
            "construction_project",
            "duplicate_of",
        ),
        request.user,
        pk=pk,
    )


def _render_lead(request: HttpRequest, lead: Lead, status: int = 200, **forms: Any) -> HttpResponse:
    user: Any = request.user
    work = access.can_work_lead(user, lead)
    nodes = {n.stage: n for n in lead.nodes.select_related("owner")}
    plan_rows = [(s, Stage(s).label, nodes.get(s)) for s in NODE_ORDER]
    context: dict[str, Any] = {
        "lead": lead,
        "plan_rows": plan_rows,
        "events": lead.events.all(),
        "members": lead.members.select_related("user"),
        "documents": lead.documents.all(),
        "tasks": lead.tasks.select_related("assignee"),
        "visits": lead.visits.all(),
        "duplicates": lead.duplicates.all(),
        "work": work,
        "can_advance": pipeline.allowed(user, lead, "advance"),
        "can_terminate": pipeline.allowed(user, lead, "terminate"),
        "can_reopen": pipeline.allowed(user, lead, "reopen"),
        "next_label": Stage(lead.next_stage).label if lead.next_stage else "",
        "is_team_lead": access.is_team_lead(user),
        "now": timezone.now(),
    }
    if work:
        context.update(
            edit_form=forms.get("edit_form") or LeadForm(instance=lead),
            advance_form=forms.get("advance_form")
            or AdvanceForm(initial={"credit_code": lead.credit_code}),
            terminate_form=forms.get("terminate_form") or TerminateForm(),
            contact_form=forms.get("contact_form") or ContactForm(),
            plan_form=forms.get("plan_form") or PlanForm(lead=lead),
            member_form=forms.get("member_form") or MemberForm(),
            document_form=forms.get("document_form") or DocumentForm(),
            task_form=forms.get("task_form") or TaskForm(initial={"assignee": user.pk}),
            assign_form=forms.get("assign_form") or AssignForm(initial={"owner": lead.owner_id}),
        )
    return render(request, "investment/staff/lead.html", context, status=status)


@pipeline_reader_required
@require_GET
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_lead(request, _lead(request, pk))


def _lead_action(
    request: HttpRequest,
    pk: int,
    form_class: Callable[..., Any],
    form_key: str,
    run: Callable[[Lead, Any], str],
    *,
    files: bool = False,
    form_kwargs: Callable[[Lead], dict[str, Any]] | None = None,
) -> HttpResponse:
    """Validate the form, call the service, redirect; a refusal shows the page with the error."""
    lead = _lead(request, pk)
    access.check_work_lead(request.user, lead)
    extra = form_kwargs(lead) if form_kwargs else {}
    form = form_class(request.POST, request.FILES if files else None, **extra)
    if form.is_valid():
        try:
            message = run(lead, form.cleaned_data)
        except pipeline.TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return redirect("investment:lead", pk=pk)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect("investment:lead", pk=pk)
    return _render_lead(request, lead, status=400, **{form_key: form})


@pipeline_reader_required
@require_POST
def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead(request, pk)
    access.check_work_lead(request.user, lead)
    form = LeadForm(request.POST, instance=copy.copy(lead))
    if form.is_valid():
        try:
            services.lead_update(
                lead=lead,
                actor=request.user,
                changes={n: form.cleaned_data[n] for n in EDITABLE_FIELDS},
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "项目信息已保存。")
            return redirect("investment:lead", pk=pk)
    return _render_lead(request, lead, status=400, edit_form=form)


@pipeline_reader_required
@require_POST
def lead_advance(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead: Lead, data: dict[str, Any]) -> str:
        moved = services.lead_advance(
            lead=lead,
            actor=request.user,
            stage=request.POST.get("stage") or None,
            note=data["note"],
            credit_code=data["credit_code"],
            scale=data["scale"],
        )
        if moved.stage == Stage.REGISTERED:
            return "已注册落地：企业已入驻平台，配备项目管家并登记了建设项目。"
        return f"已推进到“{moved.get_stage_display()}”。"  # type: ignore[attr-defined]

    return _lead_action(request, pk, AdvanceForm, "advance_form", run)


@pipeline_reader_required
@require_POST
def lead_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead: Lead, data: dict[str, Any]) -> str:
        services.lead_terminate(lead=lead, actor=request.user, reason=data["reason"])
        return "项目已终止。"

    return _lead_action(request, pk, TerminateForm, "terminate_form", run)


@pipeline_reader_required
@require_POST
def lead_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead(request, pk)
    try:
        services.lead_reopen(lead=lead, actor=request.user)
    except (pipeline.TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已恢复跟进。")
    return redirect("investment:lead", pk=pk)


@pipeline_reader_required
@require_POST
def lead_contact(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead: Lead, data: dict[str, Any]) -> str:
        services.lead_contact(
            lead=lead,
            actor=request.user,
            way=data["way"],
            content=data["content"],
            contacted_at=data["contacted_at"],
        )
        return "联系记录已保存。"

    return _lead_action(request, pk, ContactForm, "contact_form", run)


@pipeline_reader_required
@require_POST
def lead_assign(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead(request, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.lead_assign(lead=lead, actor=request.user, owner=form.cleaned_data["owner"])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("investment:lead", pk=pk)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "负责人已确定。")
            return redirect("investment:lead", pk=pk)
    return _render_lead(request, lead, status=400, assign_form=form)


@pipeline_reader_required
@require_POST
def lead_plan(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead: Lead, data: dict[str, Any]) -> str:
        form = PlanForm(request.POST, lead=lead)
        form.is_valid()
        services.lead_plan_update(lead=lead, actor=request.user, plan=form.plan())
        return "节点计划已保存。"

    return _lead_action(
        request, pk, PlanForm, "plan_form", run, form_kwargs=lambda lead: {"lead": lead}
    )


@pipeline_reader_required
@require_POST
def lead_member(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead: Lead, data: dict[str, Any]) -> str:
        services.lead_member_set(
            lead=lead,
            actor=request.user,
            user=data["user"],
            role=data["role"],
            remove=bool(request.POST.get("remove")),
        )
        return "团队成员已更新。"

    return _lead_action(request, pk, MemberForm, "member_form", run)


@pipeline_reader_required
@require_POST
def lead_document(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead: Lead, data: dict[str, Any]) -> str:
        services.lead_document_add(
            lead=lead, actor=request.user, upload=data["file"], kind=data["kind"]
        )
        return "材料已上传。"

    return _lead_action(request, pk, DocumentForm, "document_form", run, files=True)


@pipeline_reader_required
@require_GET
def lead_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    lead = _lead(request, pk)
    document: LeadDocument = get_object_or_404(lead.documents, pk=document_pk)
    return download_response(document.file, name=document.original_name)


@pipeline_reader_required
@require_POST
def lead_task(request: HttpRequest, pk: int) -> HttpResponse:
    def run(lead: Lead, data: dict[str, Any]) -> str:
        task_create(
            actor=request.user,
            title=data["title"],
            assignee=data["assignee"],
            due_at=data["due_at"],
            lead=lead,
        )
        return "跟进任务已布置。"

    return _lead_action(request, pk, TaskForm, "task_form", run)


# --- tasks and visits -------------------------------------------------------------------------


@investment_staff_required
@require_GET
def tasks(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    qs = FollowUpTask.objects.select_related("lead", "assignee", "visit")
    if not (access.is_team_lead(user) and request.GET.get("all")):
        qs = qs.filter(assignee=user)
    state = request.GET.get("state", "open")
    if state in TaskStatus.values:
        qs = qs.filter(status=state)
    page = Paginator(qs.order_by("status", "due_at", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "investment/staff/tasks.html",
        {
            "page": page,
            "state": state,
            "now": timezone.now(),
            "is_team_lead": access.is_team_lead(user),
        },
    )


@investment_staff_required
@require_POST
def task_done(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = get_object_or_404(FollowUpTask, pk=task_pk)
    try:
        task_complete(
            task=task,
            actor=request.user,
            result=request.POST.get("result", ""),
            cancel=bool(request.POST.get("cancel")),
        )
    except (pipeline.TransitionNotAllowed, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "任务已办结。")
    # Back to the page the task was closed on, if it is one of ours (no open redirect).
    back = str(request.POST.get("next", ""))
    return redirect(back if back.startswith("/investment/") else "investment:tasks")


@pipeline_reader_required
@require_GET
def visits(request: HttpRequest) -> HttpResponse:
    qs = Visit.objects.prefetch_related("leads")
    direction = request.GET.get("direction", "")
    if direction:
        qs = qs.filter(direction=direction)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "investment/staff/visits.html",
        {
            "page": page,
            "direction": direction,
            "can_create": access.is_investment_staff(request.user),
        },
    )


@investment_staff_required
@require_http_methods(["GET", "POST"])
def visit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    visit = get_object_or_404(Visit, pk=pk) if pk else None
    initial = (
        {"lead_refs": " ".join(visit.leads.values_list("reference", flat=True))} if visit else {}
    )
    form = VisitForm(
        request.POST or None, instance=copy.copy(visit) if visit else None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in VisitForm.Meta.fields}
        try:
            saved = visit_save(
                actor=request.user, values=values, leads=form.cleaned_data["lead_refs"], visit=visit
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, "来访出访记录已保存。")
            return redirect("investment:visit", pk=saved.pk)
    return render(request, "investment/staff/visit_form.html", {"form": form, "visit": visit})


@pipeline_reader_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.prefetch_related("leads", "tasks"), pk=pk)
    return render(
        request,
        "investment/staff/visit.html",
        {"visit": visit, "can_edit": access.is_investment_staff(request.user)},
    )
