"""专属空间 API: service requests to the commissioner (mounted at /workspace/requests) and, in a
second router (mounted at /workspace/assignments), who serves an enterprise, coverage, hand-over
and contacts."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from qifu.accounts.models import Enterprise, User
from qifu.matters.models import ELicence
from qifu.workspace.models import (
    OPEN_REQUEST_STATUSES,
    AssignmentRole,
    ContactKind,
    RequestKind,
    ServiceRequest,
)
from qifu.workspace.selectors import requests as selectors
from qifu.workspace.selectors.assignments import (
    current_assignments,
    enterprises_without,
    serves,
    users_who_can_serve,
)
from qifu.workspace.services import assignments as assignment_services
from qifu.workspace.services import requests as services

router = Router(tags=["专属空间 · 专员服务"])
assignments_router = Router(tags=["专属空间 · 专员与管家"])


# --- schemas ---------------------------------------------------------------------------------


class RequestFilters(Schema):
    status: str = ""  # a status, or "open"
    kind: str = ""
    sort: str = "deadline"


class RequestIn(Schema):
    kind: str
    title: str
    description: str
    licence: int | None = None
    contact_name: str = ""
    contact_phone: str = ""


class NoteIn(Schema):
    note: str = ""


class CompleteIn(Schema):
    result: str


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    from_status: str
    to_status: str
    note: str


class PersonOut(Schema):
    username: str
    name: str
    department: str
    phone: str


class _RequestFields(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    title: str
    enterprise: str
    enterprise_name: str
    status: str
    status_label: str
    commissioner: str | None
    submitted_at: dt.datetime
    accept_due_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    overdue: bool


class RequestSummary(_RequestFields):
    @staticmethod
    def resolve_kind_label(obj: ServiceRequest) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_enterprise(obj: ServiceRequest) -> str:
        return obj.enterprise.credit_code

    @staticmethod
    def resolve_enterprise_name(obj: ServiceRequest) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_status_label(obj: ServiceRequest) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_commissioner(obj: ServiceRequest) -> str | None:
        return obj.commissioner.username if obj.commissioner else None

    @staticmethod
    def resolve_overdue(obj: ServiceRequest) -> bool:
        return obj.is_overdue


class RequestOut(_RequestFields):
    description: str
    licence: str | None
    contact_name: str
    contact_phone: str
    result: str
    attachments: list[str]
    timeline: list[EventOut]


def _person(user: User) -> dict[str, str]:
    return {
        "username": user.username,
        "name": user.real_name or user.username,
        "department": user.department.name if user.department else "",
        "phone": user.phone or "",
    }


def _out(service_request: ServiceRequest) -> dict[str, Any]:
    sr = service_request
    return {
        **{name: getattr(sr, name) for name in ("id", "number", "kind", "title", "status")},
        "kind_label": sr.get_kind_display(),
        "enterprise": sr.enterprise.credit_code,
        "enterprise_name": sr.enterprise.name,
        "status_label": sr.get_status_display(),
        "commissioner": sr.commissioner.username if sr.commissioner else None,
        "submitted_at": sr.submitted_at,
        "accept_due_at": sr.accept_due_at,
        "due_at": sr.due_at,
        "completed_at": sr.completed_at,
        "overdue": sr.is_overdue,
        "description": sr.description,
        "licence": sr.licence.number if sr.licence else None,
        "contact_name": sr.contact_name,
        "contact_phone": sr.contact_phone,
        "result": sr.result,
        "attachments": [a.original_name for a in sr.attachments.all()],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),
                "actor": str(e.actor) if e.actor else "系统",
                "from_status": e.from_state,
                "to_status": e.to_state,
                "note": e.note,
            }
            for e in selectors.request_events(sr)
        ],
    }


def _get(request: HttpRequest, request_id: int) -> ServiceRequest:
    return get_object_or_404(selectors.service_requests_for_user(request.user), pk=request_id)


# --- service requests ------------------------------------------------------------------------


@router.get("", response=list[RequestSummary], summary="服务申请列表")
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, filters: Query[RequestFilters]) -> Any:
    """Enterprise: its own; commissioner: theirs; the agency running the space: all."""
    user: Any = request.user
    if user.enterprise_id:
        rows = selectors.service_requests_for_user(user)
        if filters.status == "open":
            rows = rows.filter(status__in=OPEN_REQUEST_STATUSES)
        elif filters.status:
            rows = rows.filter(status=filters.status)
        if filters.kind:
            rows = rows.filter(kind=filters.kind)
        return rows.order_by("-submitted_at", "-id")
    if not (user.has_role("commissioner") or selectors.is_space_admin(user)):
        raise PermissionDenied("只有企业、服务专员和平台工作人员可以查看服务申请。")
    return selectors.requests_inbox(
        user, status=filters.status, kind=filters.kind, sort=filters.sort
    )


@router.post("", response={201: RequestOut, 200: RequestOut}, summary="向服务专员提出申请")
def create_request(request: HttpRequest, payload: RequestIn) -> Any:
    """Send `Idempotency-Key` to file a request once however often it is retried (200 on repeat)."""
    user: Any = request.user
    if not user.enterprise_id:
        raise PermissionDenied("只有企业用户可以向服务专员提出申请。")
    if payload.kind not in RequestKind.values:
        raise ValidationError({"kind": f"服务类型应为：{'、'.join(RequestKind.values)}。"})
    licence = None
    if payload.licence is not None:
        licence = ELicence.objects.filter(
            pk=payload.licence, enterprise_id=user.enterprise_id
        ).first()
        if licence is None:
            raise ValidationError({"licence": "未找到本企业的该证照。"})
    key = (request.headers.get("Idempotency-Key") or "").strip()[:64]
    repeated = (
        bool(key) and ServiceRequest.objects.filter(applicant=user, idempotency_key=key).exists()
    )
    created = services.service_request_submit(
        user=user,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        licence=licence,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        idempotency_key=key,
    )
    return Status(200 if repeated else 201, _out(_get(request, created.pk)))


@router.get("/{request_id}", response=RequestOut, summary="服务申请详情与办理记录")
def get_request(request: HttpRequest, request_id: int) -> Any:
    return _out(_get(request, request_id))


def _act(request: HttpRequest, request_id: int, fn: Any, **kwargs: Any) -> Any:
    fn(user=request.user, service_request=_get(request, request_id), **kwargs)
    return _out(_get(request, request_id))


# Actions: POST /{id}/<action>; 409 when the status does not allow it.


@router.post("/{request_id}/accept", response=RequestOut, summary="受理（服务专员）")
def accept(request: HttpRequest, request_id: int) -> Any:
    return _act(request, request_id, services.service_request_accept)


@router.post("/{request_id}/ask_info", response=RequestOut, summary="请企业补充（服务专员）")
def ask_info(request: HttpRequest, request_id: int, payload: NoteIn) -> Any:
    return _act(request, request_id, services.service_request_ask_info, note=payload.note)


@router.post("/{request_id}/supply_info", response=RequestOut, summary="补充材料（企业）")
def supply_info(request: HttpRequest, request_id: int, payload: NoteIn) -> Any:
    return _act(request, request_id, services.service_request_supply_info, note=payload.note)


@router.post("/{request_id}/complete", response=RequestOut, summary="办结（服务专员）")
def complete(request: HttpRequest, request_id: int, payload: CompleteIn) -> Any:
    return _act(request, request_id, services.service_request_complete, result=payload.result)


@router.post("/{request_id}/withdraw", response=RequestOut, summary="撤回（企业）")
def withdraw(request: HttpRequest, request_id: int, payload: NoteIn | None = None) -> Any:
    note = payload.note if payload else ""
    return _act(request, request_id, services.service_request_withdraw, note=note)


# --- assignments, coverage, hand-over, contacts ----------------------------------------------


class PeopleOut(Schema):
    enterprise: str
    commissioner: PersonOut | None
    steward: PersonOut | None


class GapOut(Schema):
    credit_code: str
    name: str
    region: str | None
    industry: str

    @staticmethod
    def resolve_region(obj: Enterprise) -> str | None:
        return obj.region.name if obj.region else None


class CoverageFilters(Schema):
    role: str = AssignmentRole.COMMISSIONER
    town: int | None = None
    industry: str = ""


class LoadOut(Schema):
    username: str
    name: str
    served: int
    open_requests: int | None = None
    overdue: int | None = None


class CoverageOut(Schema):
    role: str
    without: int
    loads: list[LoadOut]


class AssignIn(Schema):
    enterprise: str  # credit code
    role: str
    user: str  # username
    note: str = ""


class HandoverIn(Schema):
    role: str
    from_user: str
    to_user: str
    note: str = ""


class HandoverOut(Schema):
    moved: int


class ContactIn(Schema):
    enterprise: str  # credit code
    kind: str
    occurred_at: dt.datetime
    summary: str
    service_request: int | None = None


class ContactOut(Schema):
    id: int
    enterprise: str
    staff: str
    kind: str
    kind_label: str
    occurred_at: dt.datetime
    summary: str


def _people(enterprise: Enterprise) -> dict[str, Any]:
    people = {a.role: a.user for a in current_assignments(enterprise)}
    commissioner = people.get(AssignmentRole.COMMISSIONER)
    steward = people.get(AssignmentRole.STEWARD)
    return {
        "enterprise": enterprise.credit_code,
        "commissioner": _person(commissioner) if commissioner else None,
        "steward": _person(steward) if steward else None,
    }


def _require_admin(request: HttpRequest) -> None:
    if not selectors.is_space_admin(request.user):
        raise PermissionDenied("只有专属空间的管理机构可以执行此操作。")


def _role(value: str) -> str:
    if value not in AssignmentRole.values:
        raise ValidationError({"role": "担任类型应为 commissioner 或 steward。"})
    return value


def _enterprise_visible(request: HttpRequest, credit_code: str) -> Enterprise:
    """The enterprise's own users, the people serving it and the space agency see it; else 404."""
    user: Any = request.user
    enterprise = Enterprise.objects.filter(credit_code=credit_code.strip().upper()).first()
    if enterprise is None:
        raise Http404
    if (
        user.enterprise_id == enterprise.pk
        or selectors.is_space_admin(user)
        or serves(user, enterprise)
    ):
        return enterprise
    raise Http404


@assignments_router.get("/current", response=PeopleOut, summary="企业当前的服务专员和项目管家")
def current(request: HttpRequest, enterprise: str = "") -> Any:
    user: Any = request.user
    if not enterprise and user.enterprise_id:
        target = user.enterprise
    else:
        target = _enterprise_visible(request, enterprise)
    return _people(target)


@assignments_router.get("/coverage", response=CoverageOut, summary="服务覆盖与服务量（平台）")
def coverage(request: HttpRequest, filters: Query[CoverageFilters]) -> Any:
    _require_admin(request)
    role = _role(filters.role)
    return {
        "role": role,
        "without": enterprises_without(role, town=filters.town, industry=filters.industry).count(),
        "loads": [
            {
                "username": p.username,
                "name": p.real_name or p.username,
                "served": getattr(p, "served", None) or 0,
                "open_requests": getattr(p, "open_requests", None) or 0,
                "overdue": getattr(p, "overdue", None) or 0,
            }
            for p in selectors.people_loads(role)
        ],
    }


@assignments_router.get("/gaps", response=list[GapOut], summary="无专员或无管家的企业（平台）")
@paginate(LimitOffsetPagination)
def gaps(request: HttpRequest, filters: Query[CoverageFilters]) -> Any:
    _require_admin(request)
    return enterprises_without(_role(filters.role), town=filters.town, industry=filters.industry)


def _person_by_username(role: str, username: str, field: str) -> User:
    person = users_who_can_serve(role).filter(username=username).first()
    if person is None:
        raise ValidationError({field: f"未找到该{assignment_services.ROLE_LABELS[role]}。"})
    return person


@assignments_router.post("", response={201: PeopleOut}, summary="手工指定（平台）")
def assign(request: HttpRequest, payload: AssignIn) -> Any:
    _require_admin(request)
    role = _role(payload.role)
    enterprise = Enterprise.objects.filter(credit_code=payload.enterprise.strip().upper()).first()
    if enterprise is None:
        raise ValidationError({"enterprise": "未找到该统一社会信用代码对应的企业。"})
    assignment_services.assignment_set(
        enterprise=enterprise,
        role=role,
        user=_person_by_username(role, payload.user, "user"),
        actor=request.user,
        note=payload.note,
    )
    return Status(201, _people(enterprise))


@assignments_router.post("/auto", response=dict[str, int], summary="按规则自动分配（平台）")
def auto(request: HttpRequest, role: str = AssignmentRole.COMMISSIONER) -> Any:
    _require_admin(request)
    return assignment_services.assignments_auto_fill(role=_role(role), actor=request.user)


@assignments_router.post("/handover", response=HandoverOut, summary="工作交接（平台）")
def handover(request: HttpRequest, payload: HandoverIn) -> Any:
    _require_admin(request)
    role = _role(payload.role)
    from_user = User.objects.filter(username=payload.from_user).first()
    if from_user is None:
        raise ValidationError({"from_user": "未找到交出人。"})
    moved = assignment_services.assignments_handover(
        from_user=from_user,
        to_user=_person_by_username(role, payload.to_user, "to_user"),
        role=role,
        actor=request.user,
        note=payload.note,
    )
    return {"moved": moved}


def _contact_out(log: Any) -> dict[str, Any]:
    return {
        "id": log.pk,
        "enterprise": log.enterprise.credit_code,
        "staff": str(log.staff),
        "kind": log.kind,
        "kind_label": log.get_kind_display(),
        "occurred_at": log.occurred_at,
        "summary": log.summary,
    }


@assignments_router.get("/contacts", response=list[ContactOut], summary="走访联系记录")
def contacts(request: HttpRequest, enterprise: str = "") -> Any:
    user: Any = request.user
    if not enterprise and user.enterprise_id:
        target = user.enterprise
    else:
        target = _enterprise_visible(request, enterprise)
    return [_contact_out(log) for log in selectors.contact_logs_for(target)[:200]]


@assignments_router.post(
    "/contacts", response={201: ContactOut}, summary="记录走访联系（专员、管家）"
)
def contact_create(request: HttpRequest, payload: ContactIn) -> Any:
    enterprise = _enterprise_visible(request, payload.enterprise)
    if payload.kind not in ContactKind.values:
        raise ValidationError({"kind": f"方式应为：{'、'.join(ContactKind.values)}。"})
    linked = None
    if payload.service_request is not None:
        linked = enterprise.service_requests.filter(pk=payload.service_request).first()
        if linked is None:
            raise ValidationError({"service_request": "未找到本企业的该服务申请。"})
    log = services.contact_log_create(
        user=request.user,  # type: ignore[arg-type]
        enterprise=enterprise,
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        summary=payload.summary,
        service_request=linked,
    )
    return Status(201, _contact_out(log))
