"""项目管家 API: construction projects, their plan against actual and predicted, the steward's
actions on items."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from qifu.accounts.access import get_for_user_or_404
from qifu.accounts.models import Department, DepartmentKind, Enterprise, User
from qifu.projects import selectors, services
from qifu.projects.models import Project, ProjectStatus, Stage
from qifu.projects.planning import ProjectSchedule
from qifu.workdays.calendar import WorkCalendar

router = Router(tags=["项目管家"])

MAX_LIMIT = 100
MAX_DEPARTMENT_ITEMS = 500


class ListFilters(Schema):
    status: str = ""
    stage: str = ""
    q: str = ""
    late: bool = False
    limit: int = 20
    offset: int = 0


class ProjectSummary(Schema):
    id: int
    name: str
    code: str
    enterprise: str
    enterprise_name: str
    kind: str
    status: str
    current_stage: str
    current_stage_label: str
    steward: str | None
    planned_start_on: dt.date
    planned_completion_on: dt.date | None
    predicted_completion_on: dt.date | None
    completed_on: dt.date | None
    slip_working_days: int
    progress: int


class ProjectPage(Schema):
    count: int
    items: list[ProjectSummary]


class ItemOut(Schema):
    id: int
    code: str
    stage: str
    name: str
    department: str | None
    working_days: int
    status: str
    status_label: str
    planned_start_on: dt.date | None
    planned_end_on: dt.date | None
    actual_start_on: dt.date | None
    actual_end_on: dt.date | None
    predicted_start_on: dt.date | None
    predicted_end_on: dt.date | None
    slip_working_days: int
    waive_reason: str
    document_requested: str


class StageOut(Schema):
    stage: str
    label: str
    planned_end_on: dt.date | None
    predicted_end_on: dt.date | None
    actual_end_on: dt.date | None
    is_done: bool
    is_late: bool


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    item: str | None
    actor: str
    note: str


class ProjectOut(ProjectSummary):
    total_investment: Decimal
    town: str | None
    site: str
    stages: list[StageOut]
    items: list[ItemOut]
    timeline: list[EventOut]


class ProjectIn(Schema):
    enterprise: str  # credit code
    name: str
    total_investment: Decimal
    planned_start_on: dt.date
    code: str = ""
    kind: str = "record"
    town: str = ""  # department code of a town
    site: str = ""
    steward: str = ""  # username


class ItemActionIn(Schema):
    on: dt.date | None = None
    note: str = ""
    reason: str = ""
    planned_start_on: dt.date | None = None
    planned_end_on: dt.date | None = None
    cascade: bool = False  # replan: 顺延后续事项


def _summary(project: Project, schedule: ProjectSchedule) -> dict[str, Any]:
    return {
        "id": project.pk,
        "name": project.name,
        "code": project.code,
        "enterprise": project.enterprise.credit_code,
        "enterprise_name": project.enterprise.name,
        "kind": project.kind,
        "status": project.status,
        "current_stage": project.current_stage,
        "current_stage_label": Stage(project.current_stage).label,
        "steward": project.steward.username if project.steward else None,
        "planned_start_on": project.planned_start_on,
        "planned_completion_on": schedule.planned_completion,
        "predicted_completion_on": (
            project.completed_on
            if project.status == ProjectStatus.COMPLETED
            else schedule.predicted_completion
        ),
        "completed_on": project.completed_on,
        "slip_working_days": schedule.slip,
        "progress": schedule.progress,
    }


def _detail(request: HttpRequest, project: Project) -> dict[str, Any]:
    items = selectors.items_for_schedule(project)
    schedule = selectors.schedule_of(project, items)
    include_internal = services.can_steward(request.user, project)
    return {
        **_summary(project, schedule),
        "total_investment": project.total_investment,
        "town": project.town.code if project.town else None,
        "site": project.site,
        "stages": [
            {
                "stage": s.stage,
                "label": s.label,
                "planned_end_on": s.planned_end,
                "predicted_end_on": s.predicted_end,
                "actual_end_on": s.actual_end,
                "is_done": s.is_done,
                "is_late": s.is_late,
            }
            for s in schedule.stages
        ],
        "items": [
            {
                "id": r.item.pk,
                "code": r.item.code,
                "stage": r.item.stage,
                "name": r.item.name,
                "department": r.item.department.code if r.item.department else None,
                "working_days": r.item.working_days,
                "status": r.item.status,
                "status_label": r.item.get_status_display(),
                "planned_start_on": r.item.planned_start_on,
                "planned_end_on": r.item.planned_end_on,
                "actual_start_on": r.item.actual_start_on,
                "actual_end_on": r.item.actual_end_on,
                "predicted_start_on": r.predicted.start if r.predicted else None,
                "predicted_end_on": r.predicted.end if r.predicted else None,
                "slip_working_days": r.slip,
                "waive_reason": r.item.waive_reason,
                "document_requested": r.item.document_requested,
            }
            for r in schedule.rows
        ],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),
                "item": e.item.name if e.item else None,
                "actor": e.actor_label,
                "note": e.note,
            }
            for e in reversed(
                list(selectors.project_events(project, include_internal=include_internal)[:200])
            )
        ],
    }


def _get(request: HttpRequest, project_id: int) -> Project:
    return get_for_user_or_404(
        Project.objects.select_related("enterprise", "steward", "town"),
        request.user,
        pk=project_id,
    )


@router.get("", response=ProjectPage, summary="项目列表（管家：所管项目；企业：本企业项目）")
def list_projects(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    limit = max(1, min(filters.limit, MAX_LIMIT))
    offset = max(0, filters.offset)
    rows = selectors.projects_for(
        request.user, status=filters.status, stage=filters.stage, q=filters.q, late=filters.late
    )
    count = rows.count()
    page = list(selectors.with_items(rows)[offset : offset + limit])
    calendar = WorkCalendar()
    today = timezone.localdate()
    return {
        "count": count,
        "items": [
            _summary(p, selectors.schedule_of(p, today=today, calendar=calendar)) for p in page
        ],
    }


@router.post("", response={201: ProjectOut}, summary="登记项目（平台工作人员或项目管家）")
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    enterprise = Enterprise.objects.filter(credit_code=payload.enterprise.upper()).first()
    if enterprise is None:
        raise ValidationError({"enterprise": "未知的统一社会信用代码。"})
    town = None
    if payload.town:
        town = Department.objects.filter(code=payload.town, kind=DepartmentKind.TOWN).first()
        if town is None:
            raise ValidationError({"town": "未知的镇街编码。"})
    steward = None
    if payload.steward:
        steward = User.objects.filter(username=payload.steward, is_active=True).first()
        if steward is None:
            raise ValidationError({"steward": "未知的用户名。"})
    project = services.project_create(
        actor=request.user,  # type: ignore[arg-type]
        enterprise=enterprise,
        name=payload.name,
        code=payload.code,
        kind=payload.kind,
        total_investment=payload.total_investment,
        town=town,
        site=payload.site,
        planned_start_on=payload.planned_start_on,
        steward=steward,
    )
    return Status(201, _detail(request, _get(request, project.pk)))


class DepartmentItemOut(Schema):
    project_id: int
    project_name: str
    enterprise_name: str
    item_id: int
    code: str
    name: str
    stage: str
    status: str
    status_label: str
    planned_start_on: dt.date | None
    planned_end_on: dt.date | None
    actual_end_on: dt.date | None
    predicted_end_on: dt.date | None
    slip_working_days: int
    is_late: bool


@router.get(
    "/department-items",
    response=list[DepartmentItemOut],
    summary="本部门承办的项目事项（政府部门，只读；未办结的在前）",
)
def department_items(request: HttpRequest) -> Any:
    user: Any = request.user
    if user.enterprise_id or not user.is_government:
        raise PermissionDenied("只有政府部门可以查看本部门承办的项目事项。")
    return [
        {
            "project_id": r.project.pk,
            "project_name": r.project.name,
            "enterprise_name": r.project.enterprise.name,
            "item_id": r.row.item.pk,
            "code": r.row.item.code,
            "name": r.row.item.name,
            "stage": r.row.item.stage,
            "status": r.row.item.status,
            "status_label": r.row.item.get_status_display(),
            "planned_start_on": r.row.item.planned_start_on,
            "planned_end_on": r.row.item.planned_end_on,
            "actual_end_on": r.row.item.actual_end_on,
            "predicted_end_on": r.row.predicted.end if r.row.predicted else None,
            "slip_working_days": r.row.slip,
            "is_late": r.row.is_late,
        }
        for r in selectors.department_items(user)[:MAX_DEPARTMENT_ITEMS]
    ]


@router.get("/{project_id}", response=ProjectOut, summary="项目详情：事项的计划、实际与预计")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return _detail(request, _get(request, project_id))


@router.post(
    "/{project_id}/items/{item_id}/{action}",
    response=ProjectOut,
    summary="管家办理事项：start 开始、complete 完成、waive 免于办理、replan 调整计划",
)
def item_action(
    request: HttpRequest,
    project_id: int,
    item_id: int,
    action: str,
    payload: ItemActionIn | None = None,
) -> Any:
    project = _get(request, project_id)
    item = project.items.filter(pk=item_id).first()
    if item is None or action not in {"start", "complete", "waive", "replan"}:
        raise Http404
    data = payload or ItemActionIn()
    user: Any = request.user
    if action == "start":
        services.project_item_start(actor=user, item=item, on=data.on)
    elif action == "complete":
        services.project_item_complete(actor=user, item=item, on=data.on, note=data.note)
    elif action == "waive":
        services.project_item_waive(actor=user, item=item, reason=data.reason)
    else:
        errors = {
            name: "此字段为必填项。"
            for name in ("planned_start_on", "planned_end_on")
            if getattr(data, name) is None
        }
        if errors:
            raise ValidationError(errors)
        assert data.planned_start_on is not None and data.planned_end_on is not None
        services.project_item_replan(
            actor=user,
            item=item,
            planned_start_on=data.planned_start_on,
            planned_end_on=data.planned_end_on,
            reason=data.reason,
            cascade=data.cascade,
        )
    return _detail(request, _get(request, project_id))
