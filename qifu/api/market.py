"""服务超市 API: offerings (public once reviewed), providers' public record, orders and needs
with quotes and random draws, acceptance, completion, rating and complaints."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from qifu.market import selectors, services
from qifu.market.access import is_market_staff
from qifu.market.models import Draw, Offering, Order, Quote
from qifu.providers.access import provider_for
from qifu.providers.models import Provider

router = Router(tags=["服务超市"])


class OfferingOut(Schema):
    id: int
    category: str
    category_label: str
    title: str
    description: str
    price_min: Decimal | None
    price_max: Decimal | None
    price_unit: str
    price_text: str
    area_served: str
    qualifications: str
    promised_working_days: int
    provider_id: int
    provider: str
    status: str
    published_at: dt.datetime | None

    @staticmethod
    def resolve_category_label(obj: Offering) -> str:
        return obj.get_category_display()  # type: ignore[attr-defined,no-any-return]

    @staticmethod
    def resolve_provider(obj: Offering) -> str:
        return obj.provider.name


class OfferingFilters(Schema):
    category: str = ""
    q: str = ""


class OfferingIn(Schema):
    category: str
    title: str
    description: str
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    price_unit: str = ""
    area_served: str = "荣成市"
    qualifications: str = ""
    promised_working_days: int = 10


class RecordOut(Schema):
    id: int
    name: str
    kind: str
    completed: int
    rated: int
    rating: float | None
    response_hours: float | None
    offerings: int


@router.get("/offerings", response=list[OfferingOut], auth=None, summary="在架服务（公开）")
@paginate(LimitOffsetPagination)
def list_offerings(request: HttpRequest, filters: Query[OfferingFilters]) -> Any:
    return selectors.offerings_public(category=filters.category, q=filters.q)


@router.get("/offerings/{offering_id}", response=OfferingOut, auth=None, summary="服务详情")
def get_offering(request: HttpRequest, offering_id: int) -> Any:
    return selectors.offering_public_or_404(offering_id)


@router.get("/providers/{provider_id}", response=RecordOut, auth=None, summary="机构服务记录")
def provider_record(request: HttpRequest, provider_id: int) -> Any:
    """Completed orders, average rating and time to accept: public (服务超市的评价公开)."""
    provider = Provider.objects.approved().filter(pk=provider_id).first()
    if provider is None:
        raise Http404
    record = selectors.provider_record(provider)
    return {"id": provider.pk, "name": provider.name, "kind": provider.kind, **record.__dict__}


@router.get("/mine/offerings", response=list[OfferingOut], summary="本机构的服务（各状态）")
def my_offerings(request: HttpRequest) -> Any:
    provider = provider_for(request.user)
    if provider is None:
        raise PermissionDenied("仅限已入驻的服务机构。")
    return selectors.offerings_of(provider).select_related("provider")[:500]


@router.post("/offerings", response={201: OfferingOut}, summary="发布服务（保存为草稿）")
def create_offering(request: HttpRequest, payload: OfferingIn) -> Any:
    offering = services.offering_create(author=request.user, **payload.dict())
    return Status(201, offering)


@router.post("/offerings/{offering_id}/submit", response=OfferingOut, summary="提交审核")
def submit_offering(request: HttpRequest, offering_id: int) -> Any:
    from qifu.publishing.services import publication_submit

    offering = selectors.offering_for_manager(request.user, offering_id)
    return publication_submit(item=offering, actor=request.user)


# --- orders ---------------------------------------------------------------------------------


class QuoteOut(Schema):
    id: int
    provider_id: int
    provider: str
    amount: Decimal
    working_days: int
    note: str


class DrawOut(Schema):
    id: int
    seed: str
    algorithm: str
    candidates: list[dict[str, Any]]
    excluded_ids: list[int]
    chosen_id: int
    drawn_at: dt.datetime
    verified: bool


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    from_status: str
    to_status: str
    note: str


class OrderOut(Schema):
    id: int
    number: str
    enterprise: str
    method: str
    category: str
    offering_id: int | None
    provider_id: int | None
    provider: str | None
    title: str
    description: str
    budget: Decimal | None
    status: str
    status_label: str
    accept_due_at: dt.datetime | None
    accepted_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    agreed_price: Decimal | None
    result: str
    rating: int | None
    rating_comment: str
    quotes: list[QuoteOut]
    draws: list[DrawOut]
    timeline: list[EventOut]


def _quote(q: Quote) -> dict[str, Any]:
    return {
        "id": q.pk,
        "provider_id": q.provider_id,
        "provider": q.provider.name,
        "amount": q.amount,
        "working_days": q.working_days,
        "note": q.note,
    }


def _draw(d: Draw) -> dict[str, Any]:
    return {
        "id": d.pk,
        "seed": d.seed,
        "algorithm": d.algorithm,
        "candidates": d.candidates,
        "excluded_ids": d.excluded_ids,
        "chosen_id": d.chosen_id,
        "drawn_at": d.drawn_at,
        "verified": d.verify(),
    }


def _order(request: HttpRequest, order: Order) -> dict[str, Any]:
    user: Any = request.user
    party = order.enterprise_id == getattr(user, "enterprise_id", None) or is_market_staff(user)
    provider = provider_for(user)
    quotes = order.quotes.select_related("provider")
    if not party:
        quotes = quotes.filter(provider=provider) if provider else quotes.none()
    events = selectors.order_events(order, public_only=not party)
    return {
        **{
            name: getattr(order, name)
            for name in (
                "id",
                "number",
                "method",
                "category",
                "offering_id",
                "provider_id",
                "title",
                "description",
                "budget",
                "status",
                "accept_due_at",
                "accepted_at",
                "due_at",
                "completed_at",
                "agreed_price",
                "result",
                "rating",
                "rating_comment",
            )
        },
        "enterprise": order.enterprise.name,
        "provider": order.provider.name if order.provider else None,
        "status_label": order.get_status_display(),
        "quotes": [_quote(q) for q in quotes],
        "draws": [_draw(d) for d in order.draws.all()] if party else [],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),
                "actor": e.actor_label or "系统",
                "from_status": e.from_state,
                "to_status": e.to_state,
                "note": e.note,
            }
            for e in events
        ],
    }


def _get(request: HttpRequest, order_id: int) -> Order:
    order = (
        Order.objects.for_user(request.user)
        .select_related("enterprise", "provider")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise Http404
    return order


class OrderSummary(Schema):
    id: int
    number: str
    title: str
    method: str
    category: str
    status: str
    enterprise: str
    provider: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_enterprise(obj: Order) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_provider(obj: Order) -> str | None:
        return obj.provider.name if obj.provider else None


class OrderFilters(Schema):
    status: str = ""


@router.get(
    "/orders", response=list[OrderSummary], summary="服务订单（企业：本企业；机构：本机构）"
)
@paginate(LimitOffsetPagination)
def list_orders(request: HttpRequest, filters: Query[OrderFilters]) -> Any:
    return selectors.orders_for(request.user, status=filters.status)


class DirectOrderIn(Schema):
    offering: int
    description: str
    title: str = ""
    budget: Decimal | None = None
    contact_name: str = ""
    contact_phone: str = ""


class NeedIn(Schema):
    category: str
    method: str  # quote | draw
    title: str
    description: str
    budget: Decimal | None = None
    contact_name: str = ""
    contact_phone: str = ""


def _repeat(request: HttpRequest) -> tuple[str, bool]:
    key = (request.headers.get("Idempotency-Key") or "").strip()[:64]
    repeated = (
        bool(key)
        and Order.objects.filter(created_by_id=request.user.pk, idempotency_key=key).exists()
    )
    return key, repeated


@router.post("/orders", response={200: OrderOut, 201: OrderOut}, summary="直接下单")
def create_order(request: HttpRequest, payload: DirectOrderIn) -> Any:
    """Send `Idempotency-Key` to order once however often the request is retried."""
    offering = selectors.offerings_public().filter(pk=payload.offering).first()
    if offering is None:
        raise ValidationError({"offering": "未找到该服务，或已下架。"})
    key, repeated = _repeat(request)
    data = payload.dict()
    data.pop("offering")
    order = services.order_direct(user=request.user, offering=offering, idempotency_key=key, **data)
    return Status(200 if repeated else 201, _order(request, _get(request, order.pk)))


@router.post(
    "/needs", response={200: OrderOut, 201: OrderOut}, summary="发布需求（竞价或随机抽取）"
)
def create_need(request: HttpRequest, payload: NeedIn) -> Any:
    key, repeated = _repeat(request)
    order = services.need_post(user=request.user, idempotency_key=key, **payload.dict())
    return Status(200 if repeated else 201, _order(request, _get(request, order.pk)))


@router.get("/orders/{order_id}", response=OrderOut, summary="订单详情与办理记录")
def get_order(request: HttpRequest, order_id: int) -> Any:
    return _order(request, _get(request, order_id))


class QuoteIn(Schema):
    amount: Decimal
    working_days: int
    note: str = ""


class ChooseIn(Schema):
    quote: int


class AcceptIn(Schema):
    working_days: int | None = None


class ReasonIn(Schema):
    reason: str = ""


class ResultIn(Schema):
    result: str


class RateIn(Schema):
    rating: int
    comment: str = ""


class ComplaintIn(Schema):
    content: str


class ResolveIn(Schema):
    complaint: int
    response: str


def _act(request: HttpRequest, order_id: int, fn: Any, **kwargs: Any) -> Any:
    fn(user=request.user, order=_get(request, order_id), **kwargs)
    return _order(request, _get(request, order_id))


@router.post("/orders/{order_id}/quote", response=OrderOut, summary="报价（入驻机构）")
def quote(request: HttpRequest, order_id: int, payload: QuoteIn) -> Any:
    return _act(request, order_id, services.quote_submit, **payload.dict())


@router.post("/orders/{order_id}/choose", response=OrderOut, summary="选定报价（企业）")
def choose(request: HttpRequest, order_id: int, payload: ChooseIn) -> Any:
    return _act(request, order_id, services.quote_choose, quote_id=payload.quote)


@router.post("/orders/{order_id}/draw", response=OrderOut, summary="随机抽取服务机构（企业）")
def draw(request: HttpRequest, order_id: int) -> Any:
    return _act(request, order_id, services.order_draw)


@router.post("/orders/{order_id}/accept", response=OrderOut, summary="接单（服务机构）")
def accept(request: HttpRequest, order_id: int, payload: AcceptIn | None = None) -> Any:
    days = payload.working_days if payload else None
    return _act(request, order_id, services.order_accept, working_days=days)


@router.post("/orders/{order_id}/decline", response=OrderOut, summary="不接单（服务机构）")
def decline(request: HttpRequest, order_id: int, payload: ReasonIn) -> Any:
    return _act(request, order_id, services.order_decline, reason=payload.reason)


@router.post("/orders/{order_id}/complete", response=OrderOut, summary="完成服务（服务机构）")
def complete(request: HttpRequest, order_id: int, payload: ResultIn) -> Any:
    return _act(request, order_id, services.order_complete, result=payload.result)


@router.post("/orders/{order_id}/rate", response=OrderOut, summary="评价（企业，1–5 星）")
def rate(request: HttpRequest, order_id: int, payload: RateIn) -> Any:
    return _act(request, order_id, services.order_rate, **payload.dict())


@router.post("/orders/{order_id}/cancel", response=OrderOut, summary="取消（企业，接单前）")
def cancel(request: HttpRequest, order_id: int, payload: ReasonIn | None = None) -> Any:
    reason = payload.reason if payload else ""
    return _act(request, order_id, services.order_cancel, reason=reason)


@router.post("/orders/{order_id}/complaints", response=OrderOut, summary="投诉（企业）")
def complain(request: HttpRequest, order_id: int, payload: ComplaintIn) -> Any:
    return _act(request, order_id, services.complaint_file, content=payload.content)


@router.post("/orders/{order_id}/resolve", response=OrderOut, summary="处理投诉（管理部门）")
def resolve(request: HttpRequest, order_id: int, payload: ResolveIn) -> Any:
    order = _get(request, order_id)
    complaint = order.complaints.filter(pk=payload.complaint).first()
    if complaint is None:
        raise ValidationError({"complaint": "未找到该投诉。"})
    services.complaint_resolve(user=request.user, complaint=complaint, response=payload.response)
    return _order(request, _get(request, order_id))
