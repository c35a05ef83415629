"""项目申报 API: calls, applications and their review, publicity and objections."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from qifu.declarations import selectors, services
from qifu.declarations.eligibility import describe_criteria
from qifu.declarations.models import Application, Call

router = Router(tags=["项目申报"])


class DepartmentRef(Schema):
    code: str
    name: str


class CallSummary(Schema):
    id: int
    title: str
    department: DepartmentRef
    opens_on: dt.date
    closes_on: dt.date
    is_open: bool

    @staticmethod
    def resolve_department(obj: Call) -> dict[str, str]:
        return {"code": obj.provider_department.code, "name": obj.provider_department.name}

    @staticmethod
    def resolve_is_open(obj: Call) -> bool:
        return obj.is_open()


class CallOut(CallSummary):
    body: str
    policy: str | None
    criteria: dict[str, Any]
    industries: list[str]
    criteria_text: list[str]
    required_materials: list[str]
    review_working_days: int
    publicity_days: int

    @staticmethod
    def resolve_policy(obj: Call) -> str | None:
        return obj.policy.code if obj.policy else None

    @staticmethod
    def resolve_criteria(obj: Call) -> dict[str, Any]:
        return obj.effective_criteria

    @staticmethod
    def resolve_industries(obj: Call) -> list[str]:
        return obj.effective_industries

    @staticmethod
    def resolve_criteria_text(obj: Call) -> list[str]:
        return describe_criteria(obj.effective_criteria, obj.effective_industries)


class EligibilityOut(Schema):
    eligible: bool
    met: list[str]
    unmet: list[str]


class TimelineEntry(Schema):
    at: dt.datetime
    action: str
    label: str
    actor_role: str
    note: str


class FileOut(Schema):
    material: str
    name: str
    size: int


class ApplicationSummary(Schema):
    id: int
    call: int
    call_title: str
    enterprise: str
    project_name: str
    amount: Decimal | None
    status: str
    status_label: str
    submitted_at: dt.datetime | None
    accept_due_at: dt.datetime | None
    decide_due_at: dt.datetime | None
    publicity_ends_at: dt.datetime | None

    @staticmethod
    def resolve_call(obj: Application) -> int:
        return obj.call_id

    @staticmethod
    def resolve_call_title(obj: Application) -> str:
        return obj.call.title

    @staticmethod
    def resolve_enterprise(obj: Application) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return obj.get_status_display()


class ApplicationOut(ApplicationSummary):
    summary: str
    reason: str
    files: list[FileOut]
    timeline: list[TimelineEntry]

    @staticmethod
    def resolve_files(obj: Application) -> list[dict[str, Any]]:
        return [
            {"material": f.material, "name": f.original_name, "size": f.size}
            for f in obj.files.all()
        ]

    @staticmethod
    def resolve_timeline(obj: Application) -> list[dict[str, Any]]:
        return [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),
                "actor_role": e.actor_label or "系统",
                "note": e.note,
            }
            for e in selectors.application_timeline(application=obj)
        ]


class PublicityItem(Schema):
    id: int
    enterprise: str
    project_name: str
    amount: Decimal | None
    call: str
    department: str
    status: str
    publicity_ends_at: dt.datetime | None


class ApplicationIn(Schema):
    call: int
    project_name: str
    summary: str = ""
    amount: Decimal | None = None


class ReasonIn(Schema):
    reason: str


class NoteIn(Schema):
    note: str = ""


class ObjectionIn(Schema):
    reason: str


class AnswerIn(Schema):
    upheld: bool
    answer: str


class ObjectionOut(Schema):
    id: int
    application: int
    status: str
    reason: str
    answer: str
    answered_at: dt.datetime | None

    @staticmethod
    def resolve_application(obj: Any) -> int:
        return int(obj.application_id)


class PublishedOut(Schema):
    published: int


def _detail(application: Application) -> Application:
    """The application as the API shows it; its files and timeline are resolved by the schema."""
    return application


# --- calls -------------------------------------------------------------------------------------


@router.get("/calls", response=list[CallSummary], auth=None, summary="申报通知列表")
def list_calls(request: HttpRequest) -> Any:
    return list(selectors.call_public_list()[:200])


@router.get("/calls/{call_id}", response=CallOut, auth=None, summary="申报通知详情")
def get_call(request: HttpRequest, call_id: int) -> Any:
    return selectors.call_get_public(pk=call_id)


@router.get("/calls/{call_id}/eligibility", response=EligibilityOut, summary="本企业是否符合条件")
def call_eligibility(request: HttpRequest, call_id: int) -> Any:
    user: Any = request.user
    if not user.enterprise_id:
        raise PermissionDenied("仅限企业用户查询。")
    call = selectors.call_get_public(pk=call_id)
    return services.call_eligibility(call=call, enterprise=user.enterprise)


@router.post(
    "/calls/{call_id}/publish-results", response=PublishedOut, summary="公示审核通过的项目"
)
def publish_results(request: HttpRequest, call_id: int) -> Any:
    call = selectors.call_get_for_user(user=request.user, pk=call_id)
    return {"published": services.results_publish(call=call, user=request.user)}


# --- applications ------------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationSummary], summary="申报列表（按权限范围）")
def list_applications(request: HttpRequest, call: int | None = None, status: str = "") -> Any:
    qs = selectors.application_list(user=request.user, status=status)
    if call is not None:
        qs = qs.filter(call_id=call)
    return list(qs[:500])


@router.post("/applications", response={201: ApplicationOut}, summary="填写申报（草稿）")
def create_application(request: HttpRequest, payload: ApplicationIn) -> Any:
    call = selectors.call_get_public(pk=payload.call)
    application = services.application_save_draft(
        user=request.user,
        call=call,
        project_name=payload.project_name,
        summary=payload.summary,
        amount=payload.amount,
    )
    return Status(201, _detail(application))


@router.get("/applications/{application_id}", response=ApplicationOut, summary="申报详情与进度")
def get_application(request: HttpRequest, application_id: int) -> Any:
    return _detail(selectors.application_get_for_user(user=request.user, pk=application_id))


@router.post(
    "/applications/{application_id}/files", response=ApplicationOut, summary="上传申报材料"
)
def upload_file(
    request: HttpRequest,
    application_id: int,
    material: Form[str],
    file: File[UploadedFile],
) -> Any:
    application = selectors.application_get_for_user(user=request.user, pk=application_id)
    services.application_files_add(
        application=application, user=request.user, files={material: file}
    )
    return _detail(application)


def _act(request: HttpRequest, application_id: int, fn: Any, **kwargs: Any) -> Any:
    application = selectors.application_get_for_user(user=request.user, pk=application_id)
    return _detail(fn(application=application, user=request.user, **kwargs))


@router.post("/applications/{application_id}/submit", response=ApplicationOut, summary="提交申报")
def submit(request: HttpRequest, application_id: int) -> Any:
    return _act(request, application_id, services.application_submit)


@router.post("/applications/{application_id}/accept", response=ApplicationOut, summary="受理")
def accept(request: HttpRequest, application_id: int) -> Any:
    return _act(request, application_id, services.application_accept)


@router.post("/applications/{application_id}/return", response=ApplicationOut, summary="退回补正")
def return_(request: HttpRequest, application_id: int, payload: ReasonIn) -> Any:
    return _act(request, application_id, services.application_return, reason=payload.reason)


@router.post("/applications/{application_id}/reject", response=ApplicationOut, summary="不予通过")
def reject(request: HttpRequest, application_id: int, payload: ReasonIn) -> Any:
    return _act(request, application_id, services.application_reject, reason=payload.reason)


@router.post("/applications/{application_id}/approve", response=ApplicationOut, summary="审核通过")
def approve(request: HttpRequest, application_id: int, payload: NoteIn | None = None) -> Any:
    note = payload.note if payload else ""
    return _act(request, application_id, services.application_approve, note=note)


# --- publicity and objections ------------------------------------------------------------------


@router.get("/publicity", response=list[PublicityItem], auth=None, summary="申报结果公示")
def publicity(request: HttpRequest) -> Any:
    return [
        {
            "id": a.pk,
            "enterprise": a.enterprise.name,
            "project_name": a.project_name,
            "amount": a.amount,
            "call": a.call.title,
            "department": a.call.provider_department.name,
            "status": a.status,
            "publicity_ends_at": a.publicity_ends_at,
        }
        for a in selectors.publicity_list()[:500]
    ]


@router.post(
    "/publicity/{application_id}/objections",
    response={201: ObjectionOut},
    summary="对公示结果提出异议",
)
def file_objection(request: HttpRequest, application_id: int, payload: ObjectionIn) -> Any:
    application = selectors.publicity_get(pk=application_id)
    objection = services.objection_file(
        application=application, user=request.user, reason=payload.reason
    )
    return Status(201, objection)


@router.post("/objections/{objection_id}/answer", response=ObjectionOut, summary="答复异议")
def answer_objection(request: HttpRequest, objection_id: int, payload: AnswerIn) -> Any:
    objection = selectors.objection_get_for_user(user=request.user, pk=objection_id)
    return services.objection_answer(
        objection=objection, user=request.user, upheld=payload.upheld, answer=payload.answer
    )
