"""企业诉求 API, exactly as docs/api.md "Appeals"."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from qifu.accounts.models import Department, Enterprise, User
from qifu.accounts.validators import normalize_credit_code
from qifu.appeals import selectors, services
from qifu.appeals.models import Appeal, AppealCategory, Extension
from qifu.appeals.workflow import can_handle
from qifu.core.counts import cached_count_pagination

router = Router(tags=["企业诉求"])


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    default_department: str | None = None

    @staticmethod
    def resolve_default_department(obj: AppealCategory) -> str | None:
        return obj.default_department.code if obj.default_department else None


class DepartmentRef(Schema):
    code: str
    name: str


class EnterpriseRef(Schema):
    credit_code: str
    name: str


class TimelineEntry(Schema):
    at: dt.datetime
    action: str
    label: str
    actor_role: str
    department: str | None
    note: str


class EvaluationOut(Schema):
    source: str
    satisfied: bool
    level: str
    score: int
    comment: str
    at: dt.datetime


class ExtensionOut(Schema):
    id: int
    working_days: int
    reason: str
    status: str
    new_due_at: dt.datetime | None


class _AppealFields(Schema):
    id: int
    number: str
    title: str
    stage: str
    stage_label: str
    category: str
    enterprise: EnterpriseRef | None
    department: DepartmentRef | None
    channel: str
    received_at: dt.datetime
    dispatch_due_at: dt.datetime | None
    respond_due_at: dt.datetime | None
    followup_due_at: dt.datetime | None
    extended_due_at: dt.datetime | None = None
    overdue: bool
    extended: bool = False
    supervised: bool
    dispatch_count: int


class AppealSummary(_AppealFields):
    @staticmethod
    def resolve_stage_label(obj: Appeal) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_category(obj: Appeal) -> str:
        return obj.category.code

    @staticmethod
    def resolve_overdue(obj: Appeal) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_extended(obj: Appeal) -> bool:
        return obj.is_extended

    @staticmethod
    def resolve_extended_due_at(obj: Appeal) -> dt.datetime | None:
        return obj.extended_due_at if obj.stage == "dispatched" else None

    @staticmethod
    def resolve_supervised(obj: Appeal) -> bool:
        return obj.is_supervised


class AppealOut(_AppealFields):
    content: str
    contact_name: str
    contact_phone: str
    response: str
    calendar_warning: str
    closed_at: dt.datetime | None
    merged_into: str | None
    timeline: list[TimelineEntry]
    evaluations: list[EvaluationOut]
    extensions: list[ExtensionOut] | None = None


def _detail(appeal: Appeal, user: Any) -> dict[str, Any]:
    data = AppealSummary.from_orm(appeal).dict()
    events = selectors.appeal_timeline(appeal=appeal, user=user)
    internal = not user.enterprise_id
    data.update(
        content=appeal.content,
        contact_name=appeal.contact_name,
        # The handling side needs the number to call; elsewhere it is masked (PIPL).
        contact_phone=appeal.contact_phone
        if (user.is_government or user.enterprise_id == appeal.enterprise_id)
        else appeal.masked_contact_phone,
        response=appeal.response,
        calendar_warning=appeal.calendar_warning,
        closed_at=appeal.closed_at,
        merged_into=appeal.merged_into.number if appeal.merged_into else None,
        timeline=[
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),
                "actor_role": e.actor_label or "系统",
                "department": e.department.name if e.department else None,
                "note": selectors.event_note(e, internal=internal),
            }
            for e in events
        ],
        evaluations=[
            {
                "source": ev.source,
                "satisfied": ev.satisfied,
                "level": ev.satisfaction,
                "score": ev.score,
                "comment": ev.comment,
                "at": ev.created_at,
            }
            for ev in appeal.evaluations.order_by("created_at", "id")
        ],
    )
    if services.is_platform_staff(user) or can_handle(user, appeal):
        data["extensions"] = [
            {
                "id": x.pk,
                "working_days": x.working_days,
                "reason": x.reason,
                "status": x.status,
                "new_due_at": x.new_due_at,
            }
            for x in appeal.extensions.order_by("created_at", "id")
        ]
    return data


class AppealIn(Schema):
    title: str = Field(..., max_length=100)
    content: str = Field(..., max_length=5000)
    category: str
    contact_name: str = ""
    contact_phone: str = ""
    enterprise: str | None = None
    received_at: dt.datetime | None = None
    channel: str | None = None


class AppealFilters(Schema):
    stage: str | None = None
    department: str | None = None
    category: str | None = None
    overdue: bool | None = None
    extended: bool | None = None
    supervised: bool | None = None
    q: str | None = None
    sort: str = "-received"


@router.get("/categories", response=list[CategoryOut], auth=None, summary="诉求类别")
def categories(request: HttpRequest) -> Any:
    return list(selectors.categories())


@router.get("", response=list[AppealSummary], summary="诉求列表（按权限范围）")
@paginate(cached_count_pagination(selectors.COUNTS_TOPIC))
def list_appeals(request: HttpRequest, filters: Query[AppealFilters]) -> Any:
    return selectors.appeal_list(user=request.user, **filters.dict())


@router.post("", response={201: AppealOut, 200: AppealOut}, summary="提交或登记诉求")
def create_appeal(request: HttpRequest, payload: AppealIn) -> Any:
    user: User = request.user  # type: ignore[assignment]
    category = AppealCategory.objects.filter(code=payload.category, is_active=True).first()
    if category is None:
        raise ValidationError(
            {"category": "未知的诉求类别，请从 /api/v1/appeals/categories 选择。"}
        )
    enterprise = None
    if payload.enterprise:
        enterprise = Enterprise.objects.filter(
            credit_code=normalize_credit_code(payload.enterprise)
        ).first()
        if enterprise is None:
            raise ValidationError({"enterprise": "未找到该统一社会信用代码对应的企业。"})
    appeal, created = services.appeal_file(
        user=user,
        title=payload.title,
        content=payload.content,
        category=category,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        enterprise=enterprise,
        received_at=payload.received_at,
        channel=payload.channel or ("api" if not services.is_platform_staff(user) else None),
        idempotency_key=request.headers.get("Idempotency-Key") or None,
    )
    return Status(201 if created else 200, _detail(appeal, user))


@router.get("/{appeal_id}", response=AppealOut, summary="诉求详情与时间线")
def get_appeal(request: HttpRequest, appeal_id: int) -> Any:
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    return _detail(appeal, request.user)


# --- actions: POST /appeals/{id}/<action>; 409 when the stage does not allow it ------------------


class TriageIn(Schema):
    category: str
    department: str | None = None
    note: str = ""
    enterprise: str | None = None


class DispatchIn(Schema):
    department: str
    note: str = ""
    co_departments: list[str] = []
    category: str | None = None
    conclusion: str = ""
    enterprise: str | None = None


class LinkIn(Schema):
    enterprise: str


class ReturnIn(Schema):
    reason: str


class ContactIn(Schema):
    way: str = "phone"
    content: str
    person: str = ""
    contacted_at: dt.datetime | None = None


class RespondIn(Schema):
    result: str
    contact: ContactIn | None = None


class ExtendIn(Schema):
    working_days: int
    reason: str


class ExtensionDecisionIn(Schema):
    approve: bool
    note: str = ""


class EvaluationIn(Schema):
    satisfied: bool
    score: int = Field(..., ge=1, le=5)
    comment: str = ""
    level: str | None = None


class FollowupIn(Schema):
    satisfied: bool | None = None
    score: int | None = Field(None, ge=1, le=5)
    comment: str = ""
    level: str | None = None
    way: str = "phone"
    person: str = ""
    contacted_at: dt.datetime | None = None
    confirm_online: bool = False
    close: bool = False


class NoteIn(Schema):
    note: str = ""


class MergeIn(Schema):
    into: int
    note: str = ""


def _enterprise(code: str | None) -> Enterprise | None:
    if not code:
        return None
    enterprise = Enterprise.objects.filter(
        credit_code=normalize_credit_code(code), is_active=True
    ).first()
    if enterprise is None:
        raise ValidationError({"enterprise": "未找到该统一社会信用代码对应的企业。"})
    return enterprise


def _category(code: str | None) -> AppealCategory | None:
    if code is None:
        return None
    category = AppealCategory.objects.filter(code=code).first()
    if category is None:
        raise ValidationError({"category": "未知的诉求类别。"})
    return category


def _department(code: str, field: str = "department") -> Department:
    department = Department.objects.filter(code=code, is_active=True).first()
    if department is None:
        raise ValidationError({field: "未知的部门编码，请从 /api/v1/departments 选择。"})
    return department


def _act(request: HttpRequest, appeal_id: int, fn: Any, **kwargs: Any) -> Any:
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    fn(appeal=appeal, user=request.user, **kwargs)
    appeal.refresh_from_db()
    return _detail(appeal, request.user)


@router.post("/{appeal_id}/triage", response=AppealOut, summary="研判")
def triage(request: HttpRequest, appeal_id: int, payload: TriageIn) -> Any:
    department = _department(payload.department) if payload.department else None
    return _act(
        request,
        appeal_id,
        services.appeal_triage,
        category=_category(payload.category),
        department=department,
        note=payload.note,
        enterprise=_enterprise(payload.enterprise),
    )


@router.post("/{appeal_id}/link", response=AppealOut, summary="确认诉求企业（来件未识别企业时）")
def link(request: HttpRequest, appeal_id: int, payload: LinkIn) -> Any:
    return _act(
        request,
        appeal_id,
        services.appeal_link_enterprise,
        enterprise=_enterprise(payload.enterprise),
    )


@router.post("/{appeal_id}/dispatch", response=AppealOut, summary="研判并派发")
def dispatch(request: HttpRequest, appeal_id: int, payload: DispatchIn) -> Any:
    return _act(
        request,
        appeal_id,
        services.appeal_dispatch,
        department=_department(payload.department),
        note=payload.note,
        co_departments=[_department(c, "co_departments") for c in payload.co_departments],
        category=_category(payload.category),
        conclusion=payload.conclusion,
        enterprise=_enterprise(payload.enterprise),
    )


@router.post("/{appeal_id}/accept", response=AppealOut, summary="签收")
def accept(request: HttpRequest, appeal_id: int) -> Any:
    return _act(request, appeal_id, services.appeal_accept)


@router.post("/{appeal_id}/contact", response=AppealOut, summary="记录联系企业")
def contact(request: HttpRequest, appeal_id: int, payload: ContactIn) -> Any:
    return _act(
        request,
        appeal_id,
        services.appeal_contact,
        way=payload.way,
        content=payload.content,
        person=payload.person,
        contacted_at=payload.contacted_at,
    )


@router.post("/{appeal_id}/return", response=AppealOut, summary="退回")
def return_(request: HttpRequest, appeal_id: int, payload: ReturnIn) -> Any:
    return _act(request, appeal_id, services.appeal_return, reason=payload.reason)


@router.post("/{appeal_id}/extend", response=AppealOut, summary="申请延期")
def extend(request: HttpRequest, appeal_id: int, payload: ExtendIn) -> Any:
    return _act(
        request,
        appeal_id,
        services.appeal_extension_request,
        working_days=payload.working_days,
        reason=payload.reason,
    )


@router.post(
    "/{appeal_id}/extensions/{extension_id}/decide", response=AppealOut, summary="审批延期"
)
def decide_extension(
    request: HttpRequest, appeal_id: int, extension_id: int, payload: ExtensionDecisionIn
) -> Any:
    appeal = selectors.appeal_get(user=request.user, pk=appeal_id)
    extension = get_object_or_404(Extension, pk=extension_id, appeal=appeal)
    services.appeal_extension_decide(
        extension=extension,
        user=request.user,  # type: ignore[arg-type]
        approve=payload.approve,
        note=payload.note,
    )
    appeal.refresh_from_db()
    return _detail(appeal, request.user)


@router.post("/{appeal_id}/respond", response=AppealOut, summary="诉求应答（办理结果）")
def respond(request: HttpRequest, appeal_id: int, payload: RespondIn) -> Any:
    return _act(
        request,
        appeal_id,
        services.appeal_respond,
        result=payload.result,
        contact=payload.contact.dict() if payload.contact else None,
    )


@router.post("/{appeal_id}/followup", response=AppealOut, summary="电话回访（满意时可同时办结）")
def followup(request: HttpRequest, appeal_id: int, payload: FollowupIn) -> Any:
    return _act(request, appeal_id, services.appeal_followup, **payload.dict())


@router.post("/{appeal_id}/evaluate", response=AppealOut, summary="企业评价")
def evaluate(request: HttpRequest, appeal_id: int, payload: EvaluationIn) -> Any:
    return _act(request, appeal_id, services.appeal_evaluate, **payload.dict())


@router.post("/{appeal_id}/supervise", response=AppealOut, summary="列入督办")
def supervise(request: HttpRequest, appeal_id: int, payload: NoteIn) -> Any:
    return _act(request, appeal_id, services.appeal_supervise, note=payload.note)


@router.post("/{appeal_id}/close", response=AppealOut, summary="办结")
def close(request: HttpRequest, appeal_id: int, payload: NoteIn | None = None) -> Any:
    return _act(request, appeal_id, services.appeal_close, note=payload.note if payload else "")


@router.post("/{appeal_id}/merge", response=AppealOut, summary="合并重复诉求")
def merge(request: HttpRequest, appeal_id: int, payload: MergeIn) -> Any:
    duplicate = selectors.appeal_get(user=request.user, pk=appeal_id)
    into = selectors.appeal_get(user=request.user, pk=payload.into)
    services.appeal_merge(duplicate=duplicate, into=into, user=request.user, note=payload.note)  # type: ignore[arg-type]
    duplicate.refresh_from_db()
    return _detail(duplicate, request.user)


@router.post("/{appeal_id}/note", response=AppealOut, summary="内部备注")
def note(request: HttpRequest, appeal_id: int, payload: NoteIn) -> Any:
    return _act(request, appeal_id, services.appeal_note, note=payload.note)
