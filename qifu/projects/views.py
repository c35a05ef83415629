"""项目管家 pages: the list, a project's plan against actual, and the steward's actions.

Views are thin: parse, call a service or selector, render or redirect. Actions are POST-only.
"""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from qifu.accounts.access import get_for_user_or_404
from qifu.accounts.models import Role
from qifu.core.forms import apply_errors as _apply_errors
from qifu.core.pages import page_rule
from qifu.core.uploads import download_response
from qifu.projects import selectors, services
from qifu.projects.forms import (
    CompleteForm,
    FilterForm,
    NoteForm,
    ProjectForm,
    ReplanForm,
    RequestDocumentForm,
    StartForm,
    StewardForm,
    UploadForm,
    WaiveForm,
)
from qifu.projects.models import Project, ProjectItem
from qifu.projects.services import TransitionNotAllowed
from qifu.projects.workflow import ITEMS
from qifu.workdays.calendar import WorkCalendar

PAGE_SIZE = 20


def _get_project(request: HttpRequest, pk: int) -> Project:
    return get_for_user_or_404(
        Project.objects.select_related("enterprise", "steward", "town"), request.user, pk=pk
    )


def _may_create(user: Any) -> bool:
    return bool(not user.enterprise_id and (user.is_platform_staff or user.has_role(Role.STEWARD)))


def _handles_items(user: Any) -> bool:
    return bool(user.is_government and not user.enterprise_id)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = FilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    rows = selectors.projects_for(user, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    projects = list(selectors.with_items(rows.filter(pk__in=[p.pk for p in page.object_list])))
    calendar = WorkCalendar()
    today = timezone.localdate()
    entries = [(p, selectors.schedule_of(p, today=today, calendar=calendar)) for p in projects]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/index.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "query_no_page": query.urlencode(),
            "can_create": _may_create(user),
            "is_enterprise": bool(user.enterprise_id),
            # Every government user may open the page (no query here: the list stays cheap).
            "handles_items": _handles_items(user),
        },
    )


@page_rule(_may_create, "只有平台工作人员或项目管家可以登记项目。")
def new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ProjectForm(request.POST or None, initial={"planned_start_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.project_create(
                actor=user,
                enterprise=data["enterprise"],
                name=data["name"],
                code=data["code"],
                kind=data["kind"],
                total_investment=data["total_investment"],
                town=data["town"],
                site=data["site"],
                planned_start_on=data["planned_start_on"],
                steward=data["steward"],
            )
        except PermissionDenied:
            form.add_error("enterprise", "您不是该企业的项目管家，不能为其登记项目。")
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"项目“{project.name}”已登记，审批事项计划已生成。")
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/new.html", {"form": form})


def _chart_data(schedule: Any, today: Any) -> dict[str, Any]:
    def iso(day: Any) -> str | None:
        return day.isoformat() if day else None

    items = []
    for row in schedule.rows:
        item = row.item
        items.append(
            {
                "name": item.name,
                "stage": item.get_stage_display(),
                "status": item.get_status_display(),
                "planned": [iso(item.planned_start_on), iso(item.planned_end_on)],
                "actual": [iso(item.actual_start_on), iso(item.actual_end_on)],
                "predicted": [iso(row.predicted.start), iso(row.predicted.end)]
                if row.predicted and item.status != "done"
                else None,
            }
        )
    return {
        "items": items,
        "today": today.isoformat(),
        "planned_completion": iso(schedule.planned_completion),
        "predicted_completion": iso(schedule.predicted_completion),
    }


def _detail_context(request: HttpRequest, project: Project, **forms: Any) -> dict[str, Any]:
    user: Any = request.user
    is_steward = services.can_steward(user, project)
    is_owner = bool(user.enterprise_id and user.enterprise_id == project.enterprise_id)
    today = timezone.localdate()
    items = selectors.items_for_schedule(project)
    schedule = selectors.schedule_of(project, items, today=today)
    requested = [i for i in items if i.document_requested and not i.is_closed]
    upload_items = items if is_steward else requested
    can_assign = bool(user.is_platform_staff and not user.enterprise_id)
    can_upload = is_steward or bool(is_owner and requested)
    return {
        "project": project,
        "schedule": schedule,
        "chart": _chart_data(schedule, today),
        "today": today,
        "is_steward": is_steward,
        "is_owner": is_owner,
        "can_assign": can_assign,
        "requested": requested,
        "events": selectors.project_events(project, include_internal=is_steward)[:100],
        "documents": selectors.documents_for(project, user),
        "is_department": selectors.is_department_viewer(user, project),
        "note_form": forms.get("note") or NoteForm(),
        "upload_form": forms.get("upload") or UploadForm(items=upload_items, blank=is_steward),
        "steward_form": forms.get("steward")
        or StewardForm(initial={"steward": project.steward_id}),
        "can_upload": can_upload,
        # The side column holds only forms: without any, the summary takes the whole width.
        "has_side": is_steward or can_assign or can_upload,
    }


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get_project(request, pk)
    return render(request, "projects/detail.html", _detail_context(request, project))


def _get_item(request: HttpRequest, pk: int, item_pk: int) -> ProjectItem:
    project = _get_project(request, pk)
    item = project.items.select_related("department").filter(pk=item_pk).first()
    if item is None:
        raise Http404("未找到该事项。")
    item.project = project
    if not services.can_steward(request.user, project):
        raise PermissionDenied("只有该项目的项目管家可以办理事项。")
    return item


ITEM_FORMS: dict[str, type[django_forms.Form]] = {
    "start": StartForm,
    "complete": CompleteForm,
    "waive": WaiveForm,
    "replan": ReplanForm,
    "request_document": RequestDocumentForm,
}


def _item_forms(item: ProjectItem, bound: dict[str, django_forms.Form]) -> dict[str, Any]:
    today = timezone.localdate()
    initial: dict[str, dict[str, Any]] = {
        "start": {"on": today},
        "complete": {"on": today},
        "replan": {
            "planned_start_on": item.planned_start_on,
            "planned_end_on": item.planned_end_on,
        },
        "request_document": {"what": item.document_requested},
    }
    return {
        action: bound.get(action)
        or form_class(prefix=action, initial=initial.get(action), auto_id=f"id_{action}_%s")
        for action, form_class in ITEM_FORMS.items()
        if ITEMS.allows(action, item.status)
    }


@login_required
@require_GET
def item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    found = _get_item(request, pk, item_pk)
    return render(
        request,
        "projects/item.html",
        {"project": found.project, "item": found, "forms": _item_forms(found, {})},
    )


@login_required
@require_POST
def item_act(request: HttpRequest, pk: int, item_pk: int, action: str) -> HttpResponse:
    found = _get_item(request, pk, item_pk)
    form_class = ITEM_FORMS.get(action)
    if form_class is None:
        raise Http404("未知的操作。")
    form = form_class(request.POST, request.FILES, prefix=action, auto_id=f"id_{action}_%s")
    user: Any = request.user
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "start":
                services.project_item_start(actor=user, item=found, on=data["on"])
            elif action == "complete":
                services.project_item_complete(
                    actor=user,
                    item=found,
                    on=data["on"],
                    note=data["note"],
                    document=data["document"],
                )
            elif action == "waive":
                services.project_item_waive(actor=user, item=found, reason=data["reason"])
            elif action == "replan":
                services.project_item_replan(
                    actor=user,
                    item=found,
                    planned_start_on=data["planned_start_on"],
                    planned_end_on=data["planned_end_on"],
                    reason=data["reason"],
                    cascade=data["cascade"],
                )
            else:
                services.project_item_request_document(actor=user, item=found, what=data["what"])
        except TransitionNotAllowed as error:
            messages.error(request, str(error))
            return redirect("projects:detail", pk=found.project.pk)
        except ValidationError as error:
            if (
                action == "complete"
                and hasattr(error, "error_dict")
                and "actual_end_on" in error.error_dict
            ):
                form.add_error("on", error.error_dict["actual_end_on"])
            elif (
                action == "start"
                and hasattr(error, "error_dict")
                and "actual_start_on" in error.error_dict
            ):
                form.add_error("on", error.error_dict["actual_start_on"])
            else:
                _apply_errors(form, error)
        else:
            messages.success(request, f"“{found.name}”已更新。")
            return redirect("projects:detail", pk=found.project.pk)
    return render(
        request,
        "projects/item.html",
        {"project": found.project, "item": found, "forms": _item_forms(found, {action: form})},
        status=400,
    )


@login_required
@require_POST
def note(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get_project(request, pk)
    services.check_steward(request.user, project)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.project_note_add(
                actor=request.user,  # type: ignore[arg-type]
                project=project,
                note=form.cleaned_data["note"],
                is_internal=not form.cleaned_data["is_public"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "记录已保存。")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/detail.html", _detail_context(request, project, note=form), status=400
    )


@login_required
@require_POST
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get_project(request, pk)
    user: Any = request.user
    is_steward = services.can_steward(user, project)
    items = list(project.items.all())
    if not is_steward:
        items = [i for i in items if i.document_requested and not i.is_closed]
        if not items:
            raise PermissionDenied("项目管家没有要求您上传材料。")
    form = UploadForm(request.POST, request.FILES, items=items, blank=is_steward)
    if form.is_valid():
        chosen = next((i for i in items if str(i.pk) == form.cleaned_data["item"]), None)
        try:
            services.project_document_upload(
                actor=user,
                project=project,
                item=chosen,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "材料已上传。")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/detail.html", _detail_context(request, project, upload=form), status=400
    )


@login_required
@require_POST
def steward(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get_project(request, pk)
    user: Any = request.user
    if not (user.is_platform_staff and not user.enterprise_id):
        raise PermissionDenied("只有平台工作人员可以指定项目管家。")
    form = StewardForm(request.POST)
    if form.is_valid():
        try:
            services.project_steward_change(
                actor=user, project=project, steward=form.cleaned_data["steward"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "项目管家已更新。")
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/detail.html", _detail_context(request, project, steward=form), status=400
    )


@login_required
@require_GET
def document(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    project = _get_project(request, pk)
    found = selectors.documents_for(project, request.user).filter(pk=document_pk).first()
    if found is None:
        raise Http404("未找到该文件。")
    return download_response(found.file, name=found.original_name)


@page_rule(_handles_items, "只有政府部门可以查看本部门承办的项目事项。")
@require_GET
def department_items(request: HttpRequest) -> HttpResponse:
    """本部门承办的项目事项: read-only, for a department responsible for project items."""
    user: Any = request.user
    today = timezone.localdate()
    rows = selectors.department_items(user, today=today)
    page = Paginator(rows, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/department_items.html",
        {
            "page": page,
            "rows": page.object_list,
            "today": today,
            "department": user.department,
            "open_count": sum(1 for r in rows if not r.row.item.is_closed),
            "late_count": sum(1 for r in rows if r.row.is_late),
            "query_no_page": "",
        },
    )
