"""我要办事 API: the matter catalogue, online applications and the department's actions."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from qifu.accounts.access import get_for_user_or_404
from qifu.matters import selectors, services
from qifu.matters.models import ELicence, Matter, MatterApplication

router = Router(tags=["我要办事"])


class MatterFilters(Schema):
    q: str = ""
    stage: str = ""


class MatterSummary(Schema):
    code: str
    name: str
    life_stage: str
    department: str
    handling_mode: str
    legal_limit_days: int | None
    promised_limit_days: int

    @staticmethod
    def resolve_department(obj: Matter) -> str:
        return obj.department.code


class MatterOut(MatterSummary):
    conditions: str
    materials: list[str]
    fee: str
    where_to_apply: str
    how_to_apply: str
    connector_code: str
    licence_name: str


class ApplicationIn(Schema):
    matter: str
    contact_name: str
    contact_phone: str
    description: str = ""


class ReasonIn(Schema):
    reason: str


class NoteIn(Schema):
    note: str = ""


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    note: str


class LicenceOut(Schema):
    number: str
    name: str
    issued_on: dt.date
    valid_until: dt.date | None
    department: str

    @staticmethod
    def resolve_department(obj: ELicence) -> str:
        return obj.department.code if obj.department else ""


class ApplicationOut(Schema):
    id: int
    number: str
    matter: str
    enterprise: str
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None
    decided_at: dt.datetime | None
    reason: str
    materials: list[str]
    timeline: list[EventOut]
    licence: LicenceOut | None


def _out(application: MatterApplication) -> dict[str, Any]:
    return {
        "id": application.pk,
        "number": application.number,
        "matter": application.matter.code,
        "enterprise": application.enterprise.credit_code,
        "status": application.status,
        "status_label": application.get_status_display(),
        "submitted_at": application.submitted_at,
        "due_at": application.due_at,
        "decided_at": application.decided_at,
        "reason": application.reason,
        "materials": [m.original_name for m in application.attachments.all()],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),
                "actor": e.actor_label,
                "note": e.note,
            }
            for e in selectors.application_timeline(application)
        ],
        "licence": ELicence.objects.filter(application=application)
        .select_related("department")
        .first(),
    }


def _get(request: HttpRequest, application_id: int) -> MatterApplication:
    return get_for_user_or_404(
        MatterApplication.objects.select_related("matter", "matter__department", "enterprise"),
        request.user,
        pk=application_id,
    )


@router.get("", response=list[MatterSummary], auth=None, summary="事项目录（可搜索）")
@paginate(LimitOffsetPagination)
def list_matters(request: HttpRequest, filters: Query[MatterFilters]) -> Any:
    return selectors.matters_search(query=filters.q, life_stage=filters.stage)


@router.post("/applications", response={201: ApplicationOut}, summary="填写在线申请（草稿）")
def create_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    matter = selectors.matters_active().filter(code=payload.matter).first()
    if matter is None:
        raise ValidationError({"matter": "未知的事项编码，请从 /api/v1/matters 选择。"})
    application = services.matter_application_create(
        user=request.user,  # type: ignore[arg-type]
        matter=matter,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        description=payload.description,
    )
    return Status(201, _out(application))


@router.post(
    "/applications/{application_id}/materials", response=ApplicationOut, summary="上传申请材料"
)
def upload_materials(
    request: HttpRequest, application_id: int, files: File[list[UploadedFile]]
) -> Any:
    application = _get(request, application_id)
    services.matter_application_attach(user=request.user, application=application, files=files)  # type: ignore[arg-type]
    return _out(application)


@router.get("/applications/{application_id}", response=ApplicationOut, summary="办件详情与时间线")
def get_application(request: HttpRequest, application_id: int) -> Any:
    return _out(_get(request, application_id))


def _act(request: HttpRequest, application_id: int, fn: Any, **kwargs: Any) -> Any:
    application = _get(request, application_id)
    fn(user=request.user, application=application, **kwargs)
    application.refresh_from_db()
    return _out(application)


@router.post(
    "/applications/{application_id}/submit", response=ApplicationOut, summary="提交或补正后重新提交"
)
def submit(request: HttpRequest, application_id: int, payload: NoteIn | None = None) -> Any:
    note = payload.note if payload else ""
    return _act(request, application_id, services.matter_application_submit, note=note)


@router.post("/applications/{application_id}/accept", response=ApplicationOut, summary="受理")
def accept(request: HttpRequest, application_id: int) -> Any:
    return _act(request, application_id, services.matter_application_accept)


@router.post(
    "/applications/{application_id}/supplement", response=ApplicationOut, summary="一次性告知补正"
)
def supplement(request: HttpRequest, application_id: int, payload: ReasonIn) -> Any:
    return _act(
        request,
        application_id,
        services.matter_application_request_supplement,
        reason=payload.reason,
    )


@router.post("/applications/{application_id}/approve", response=ApplicationOut, summary="办结准予")
def approve(request: HttpRequest, application_id: int, payload: NoteIn | None = None) -> Any:
    note = payload.note if payload else ""
    return _act(request, application_id, services.matter_application_approve, note=note)


@router.post("/applications/{application_id}/refuse", response=ApplicationOut, summary="不予许可")
def refuse(request: HttpRequest, application_id: int, payload: ReasonIn) -> Any:
    return _act(request, application_id, services.matter_application_refuse, reason=payload.reason)


@router.get("/{code}", response=MatterOut, auth=None, summary="事项办事指南")
def get_matter(request: HttpRequest, code: str) -> Any:
    return get_object_or_404(selectors.matters_active(), code=code)
