"""校企共建 API: resources and needs (public once reviewed), suggested pairs with their reasons,
co-operation records from proposal to outcome, statistics per month."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from qifu.cooperation import selectors, services
from qifu.cooperation.access import is_cooperation_staff
from qifu.cooperation.matching import suggest_needs, suggest_resources
from qifu.cooperation.models import Cooperation, Resource, TechNeed
from qifu.providers.access import provider_for

router = Router(tags=["校企共建"])


class ResourceOut(Schema):
    id: int
    kind: str
    title: str
    industry: str
    description: str
    keywords: str
    terms: str
    provider_id: int
    provider: str
    status: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_provider(obj: Resource) -> str:
        return obj.provider.name


class NeedOut(Schema):
    id: int
    title: str
    industry: str
    description: str
    keywords: str
    budget: Decimal | None
    enterprise: str
    status: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_enterprise(obj: TechNeed) -> str:
        return obj.enterprise.name


class ResourceIn(Schema):
    kind: str
    title: str
    industry: str
    description: str
    keywords: str = ""
    terms: str = ""
    contact_name: str
    contact_phone: str


class NeedIn(Schema):
    title: str
    industry: str
    description: str
    keywords: str = ""
    budget: Decimal | None = None
    contact_name: str
    contact_phone: str


class SuggestionOut(Schema):
    id: int
    title: str
    score: float
    reasons: list[str]


class Filters(Schema):
    kind: str = ""
    industry: str = ""
    q: str = ""


@router.get("/resources", response=list[ResourceOut], auth=None, summary="高校资源（公开）")
@paginate(LimitOffsetPagination)
def list_resources(request: HttpRequest, filters: Query[Filters]) -> Any:
    return selectors.resources_public(kind=filters.kind, industry=filters.industry, q=filters.q)


@router.get("/needs", response=list[NeedOut], auth=None, summary="企业技术需求（公开）")
@paginate(LimitOffsetPagination)
def list_needs(request: HttpRequest, filters: Query[Filters]) -> Any:
    return selectors.needs_public(industry=filters.industry, q=filters.q)


@router.post("/resources", response={201: ResourceOut}, summary="发布高校资源（草稿）")
def create_resource(request: HttpRequest, payload: ResourceIn) -> Any:
    return Status(201, services.resource_create(author=request.user, **payload.dict()))


@router.post("/needs", response={201: NeedOut}, summary="发布技术需求（草稿）")
def create_need(request: HttpRequest, payload: NeedIn) -> Any:
    return Status(201, services.need_create(author=request.user, **payload.dict()))


@router.post("/resources/{resource_id}/submit", response=ResourceOut, summary="资源提交审核")
def submit_resource(request: HttpRequest, resource_id: int) -> Any:
    from qifu.publishing.services import publication_submit

    resource = selectors.resource_for_manager(request.user, resource_id)
    return publication_submit(item=resource, actor=request.user)


@router.post("/needs/{need_id}/submit", response=NeedOut, summary="需求提交审核")
def submit_need(request: HttpRequest, need_id: int) -> Any:
    from qifu.publishing.services import publication_submit

    need = selectors.need_for_manager(request.user, need_id)
    return publication_submit(item=need, actor=request.user)


def _suggestions(found: list[Any]) -> list[dict[str, Any]]:
    return [
        {"id": s.item.pk, "title": s.item.title, "score": s.score, "reasons": s.reasons}
        for s in found
    ]


@router.get(
    "/needs/{need_id}/suggestions", response=list[SuggestionOut], summary="为需求推荐的高校资源"
)
def need_suggestions(request: HttpRequest, need_id: int) -> Any:
    """For the enterprise that published the need and the platform's staff."""
    need = selectors.need_public_or_404(need_id)
    user: Any = request.user
    if user.enterprise_id != need.enterprise_id and not is_cooperation_staff(user):
        raise Http404
    return _suggestions(suggest_resources(need))


@router.get(
    "/resources/{resource_id}/suggestions",
    response=list[SuggestionOut],
    summary="为高校资源推荐的企业需求",
)
def resource_suggestions(request: HttpRequest, resource_id: int) -> Any:
    """For the university or institute that published it and the platform's staff."""
    resource = selectors.resource_public_or_404(resource_id)
    provider = provider_for(request.user)
    own = provider is not None and provider.pk == resource.provider_id
    if not own and not is_cooperation_staff(request.user):
        raise Http404
    return _suggestions(suggest_needs(resource))


# --- co-operations --------------------------------------------------------------------------


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    note: str


class CooperationOut(Schema):
    id: int
    number: str
    title: str
    enterprise: str
    provider: str
    need_id: int | None
    resource_id: int | None
    proposed_by: str
    reasons: list[str]
    status: str
    status_label: str
    respond_due_at: dt.datetime | None
    agreement_form: str
    agreement_amount: Decimal | None
    agreed_on: dt.date | None
    agreement_summary: str
    outcome: str
    completed_on: dt.date | None
    timeline: list[EventOut]


def _out(c: Cooperation) -> dict[str, Any]:
    return {
        **{
            name: getattr(c, name)
            for name in (
                "id",
                "number",
                "title",
                "need_id",
                "resource_id",
                "proposed_by",
                "reasons",
                "status",
                "respond_due_at",
                "agreement_form",
                "agreement_amount",
                "agreed_on",
                "agreement_summary",
                "outcome",
                "completed_on",
            )
        },
        "enterprise": c.enterprise.name,
        "provider": c.provider.name,
        "status_label": c.get_status_display(),
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),
                "actor": e.actor_label or "系统",
                "note": e.note,
            }
            for e in c.events.order_by("at", "id")
        ],
    }


def _get(request: HttpRequest, cooperation_id: int) -> Cooperation:
    found = (
        Cooperation.objects.for_user(request.user)
        .select_related("enterprise", "provider")
        .filter(pk=cooperation_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


class ProposeIn(Schema):
    need: int | None = None
    resource: int | None = None
    note: str = ""


class NoteIn(Schema):
    note: str = ""


class AgreeIn(Schema):
    form: str
    agreed_on: dt.date | None = None
    summary: str
    amount: Decimal | None = None


class OutcomeIn(Schema):
    outcome: str
    completed_on: dt.date | None = None


class CooperationSummary(Schema):
    id: int
    number: str
    title: str
    enterprise: str
    provider: str
    status: str
    created_at: dt.datetime

    @staticmethod
    def resolve_enterprise(obj: Cooperation) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_provider(obj: Cooperation) -> str:
        return obj.provider.name


@router.get("/records", response=list[CooperationSummary], summary="校企合作记录（双方和管理部门）")
@paginate(LimitOffsetPagination)
def list_records(request: HttpRequest) -> Any:
    return selectors.cooperations_for(request.user)


@router.post("/records", response={201: CooperationOut}, summary="发起对接")
def propose(request: HttpRequest, payload: ProposeIn) -> Any:
    need = selectors.needs_public().filter(pk=payload.need).first() if payload.need else None
    resource = (
        selectors.resources_public().filter(pk=payload.resource).first()
        if payload.resource
        else None
    )
    if payload.need and need is None:
        raise ValidationError({"need": "未找到该需求，或已下线。"})
    if payload.resource and resource is None:
        raise ValidationError({"resource": "未找到该资源，或已下线。"})
    if not (getattr(request.user, "enterprise_id", None) or provider_for(request.user)) and not (
        is_cooperation_staff(request.user)
    ):
        raise PermissionDenied("只有企业、入驻高校院所和管理部门可以发起对接。")
    cooperation = services.cooperation_propose(
        user=request.user, need=need, resource=resource, note=payload.note
    )
    return Status(201, _out(_get(request, cooperation.pk)))


@router.get("/records/{cooperation_id}", response=CooperationOut, summary="合作详情与记录")
def get_record(request: HttpRequest, cooperation_id: int) -> Any:
    return _out(_get(request, cooperation_id))


def _act(request: HttpRequest, cooperation_id: int, fn: Any, **kwargs: Any) -> Any:
    fn(user=request.user, cooperation=_get(request, cooperation_id), **kwargs)
    return _out(_get(request, cooperation_id))


@router.post("/records/{cooperation_id}/accept", response=CooperationOut, summary="同意对接")
def accept(request: HttpRequest, cooperation_id: int, payload: NoteIn | None = None) -> Any:
    note = payload.note if payload else ""
    return _act(request, cooperation_id, services.cooperation_accept, note=note)


@router.post("/records/{cooperation_id}/decline", response=CooperationOut, summary="婉拒对接")
def decline(request: HttpRequest, cooperation_id: int, payload: NoteIn) -> Any:
    return _act(request, cooperation_id, services.cooperation_decline, reason=payload.note)


@router.post("/records/{cooperation_id}/progress", response=CooperationOut, summary="记录进展")
def progress(request: HttpRequest, cooperation_id: int, payload: NoteIn) -> Any:
    return _act(request, cooperation_id, services.cooperation_progress, note=payload.note)


@router.post("/records/{cooperation_id}/agree", response=CooperationOut, summary="登记合作协议")
def agree(request: HttpRequest, cooperation_id: int, payload: AgreeIn) -> Any:
    return _act(request, cooperation_id, services.cooperation_agree, **payload.dict())


@router.post("/records/{cooperation_id}/outcome", response=CooperationOut, summary="记录合作成效")
def outcome(request: HttpRequest, cooperation_id: int, payload: OutcomeIn) -> Any:
    return _act(request, cooperation_id, services.cooperation_outcome, **payload.dict())


@router.post("/records/{cooperation_id}/terminate", response=CooperationOut, summary="终止合作")
def terminate(request: HttpRequest, cooperation_id: int, payload: NoteIn) -> Any:
    return _act(request, cooperation_id, services.cooperation_terminate, reason=payload.note)


class MonthOut(Schema):
    month: str
    proposed: int
    agreed: int
    completed: int
    amount: Decimal


@router.get("/statistics", response=list[MonthOut], auth=None, summary="分月统计（公开）")
def statistics(request: HttpRequest, year: int | None = None) -> Any:
    this_year = timezone.localdate().year
    year = year or this_year
    if not 2000 <= year <= this_year:
        raise ValidationError({"year": f"年份应在 2000 到 {this_year} 之间。"})
    return [
        {
            "month": f"{row.period:%Y-%m}",
            "proposed": row.proposed,
            "agreed": row.agreed,
            "completed": row.completed,
            "amount": row.amount,
        }
        for row in selectors.statistics_by_month(year=year)
    ]
