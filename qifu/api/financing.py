"""融资服务 API: products, news, funds; needs, orders (接单, outcome, rating) and statistics."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from qifu.financing import selectors, services
from qifu.financing.access import can_oversee
from qifu.financing.models import FinancingOrder, FinancingRequest, GovernmentFund
from qifu.providers.models import Provider
from qifu.publishing.services import publication_submit

router = Router(tags=["融资服务"])


class ProductOut(Schema):
    id: int
    name: str
    kind: str
    institution: str
    institution_id: int
    amount_min: Decimal
    amount_max: Decimal
    term_min_months: int
    term_max_months: int
    rate_min: Decimal
    rate_max: Decimal
    conditions: str
    status: str

    @staticmethod
    def resolve_institution(obj: Any) -> str:
        return str(obj.provider.name)

    @staticmethod
    def resolve_institution_id(obj: Any) -> int:
        return int(obj.provider_id)


class ProductIn(Schema):
    name: str
    kind: str
    amount_min: Decimal
    amount_max: Decimal
    term_min_months: int
    term_max_months: int
    rate_min: Decimal
    rate_max: Decimal
    conditions: str
    description: str = ""
    scales: list[str] = []
    industries: list[str] = []
    min_years: int = 0


class NewsOut(Schema):
    id: int
    title: str
    summary: str
    body: str
    published_at: dt.datetime | None


class FundOut(Schema):
    id: int
    name: str
    kind: str
    manager: str
    operator: str | None
    max_amount: Decimal | None
    max_days: int | None
    takes_requests: bool

    @staticmethod
    def resolve_operator(obj: Any) -> str | None:
        return obj.operator.name if obj.operator else None


class KindFilter(Schema):
    kind: str = ""


class RequestIn(Schema):
    kind: str
    amount: Decimal
    term_months: int
    purpose: str
    contact_name: str
    contact_phone: str
    guarantee: str = ""
    institution_id: int | None = None
    fund_id: int | None = None
    loan_due_on: dt.date | None = None


class EventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    actor: str
    institution: str
    note: str


class OrderOut(Schema):
    id: int
    number: str
    request_id: int
    enterprise: str
    institution: str
    institution_id: int
    product: str | None
    status: str
    status_label: str
    match_reasons: list[str]
    sent_at: dt.datetime
    take_due_at: dt.datetime | None
    taken_at: dt.datetime | None
    decide_due_at: dt.datetime | None
    decided_at: dt.datetime | None
    granted_amount: Decimal | None
    granted_rate: Decimal | None
    granted_term_months: int | None
    refusal_reason: str
    rating: int | None
    rating_comment: str
    overdue: bool


class RequestOut(Schema):
    id: int
    number: str
    enterprise: str
    kind: str
    amount: Decimal
    term_months: int
    purpose: str
    created_at: dt.datetime
    orders: list[OrderOut]
    timeline: list[EventOut]


class GrantIn(Schema):
    amount: Decimal
    rate: Decimal
    term_months: int | None = None
    note: str = ""


class NoteIn(Schema):
    note: str = ""


class RefuseIn(Schema):
    reason: str


class RateIn(Schema):
    rating: int
    comment: str = ""


class OrderFilter(Schema):
    status: str = ""


class StatisticsFilter(Schema):
    start: dt.date | None = None
    end: dt.date | None = None


class InstitutionStatsOut(Schema):
    institution_id: int
    institution: str
    received: int
    taken: int
    granted: int
    refused: int
    granted_amount: Decimal
    avg_days_to_outcome: float | None
    avg_rating: float | None


class StatisticsOut(Schema):
    start: dt.date
    end: dt.date
    needs: int
    matched: int
    institutions: list[InstitutionStatsOut]


def _order(order: FinancingOrder) -> dict[str, Any]:
    return {
        "id": order.pk,
        "number": order.number,
        "request_id": order.request_id,
        "enterprise": order.request.enterprise.name,
        "institution": order.provider.name,
        "institution_id": order.provider_id,
        "product": order.product.name if order.product else None,
        "status": order.status,
        "status_label": order.get_status_display(),  # type: ignore[attr-defined]
        "match_reasons": order.match_reasons,
        "overdue": order.is_overdue,
        **{
            name: getattr(order, name)
            for name in (
                "sent_at",
                "take_due_at",
                "taken_at",
                "decide_due_at",
                "decided_at",
                "granted_amount",
                "granted_rate",
                "granted_term_months",
                "refusal_reason",
                "rating",
                "rating_comment",
            )
        },
    }


def _request(request: HttpRequest, need: FinancingRequest) -> dict[str, Any]:
    user: Any = request.user
    orders = selectors.request_orders(need, user=user)
    for order in orders:
        order.request = need
    events = selectors.order_events(orders, public_only=user.enterprise_id == need.enterprise_id)
    return {
        "id": need.pk,
        "number": need.number,
        "enterprise": need.enterprise.name,
        "kind": need.kind,
        "amount": need.amount,
        "term_months": need.term_months,
        "purpose": need.purpose,
        "created_at": need.created_at,
        "orders": [_order(o) for o in orders],
        "timeline": [
            {
                "at": e.at,
                "action": e.action,
                "label": e.get_action_display(),  # type: ignore[attr-defined]
                "actor": e.actor_label,
                "institution": e.order.provider.name,
                "note": e.note,
            }
            for e in events
        ],
    }


# --- public lists -------------------------------------------


@router.get("/products", response=list[ProductOut], auth=None, summary="已发布的金融产品")
@paginate(LimitOffsetPagination)
def products(request: HttpRequest, filters: Query[KindFilter]) -> Any:
    return selectors.products_published(kind=filters.kind)


@router.get("/news", response=list[NewsOut], auth=None, summary="融资动态")
@paginate(LimitOffsetPagination)
def news(request: HttpRequest) -> Any:
    return selectors.news_published()


@router.get("/funds", response=list[FundOut], auth=None, summary="金融基金")
def funds(request: HttpRequest) -> Any:
    return list(selectors.funds())


# --- products (institutions) -------------------------------------------


@router.post("/products", response={201: ProductOut}, summary="新增金融产品（草稿）")
def product_create(request: HttpRequest, payload: ProductIn) -> Any:
    return Status(201, services.product_create(author=request.user, **payload.dict()))


@router.post("/products/{product_id}/submit", response=ProductOut, summary="产品提交审核")
def product_submit(request: HttpRequest, product_id: int) -> Any:
    from qifu.financing.models import FinancialProduct

    product = FinancialProduct.objects.for_user(request.user).filter(pk=product_id).first()
    if product is None:
        raise Http404
    return publication_submit(item=product, actor=request.user)


# --- needs -------------------------------------------


@router.get("/requests", response=list[RequestOut], summary="融资需求（企业：本企业的）")
@paginate(LimitOffsetPagination)
def request_list(request: HttpRequest) -> Any:
    user: Any = request.user
    if not (user.enterprise_id or can_oversee(user)):
        raise PermissionDenied("仅限企业用户和平台工作人员。")
    return [_request(request, need) for need in selectors.requests_for(user)[:200]]


@router.post(
    "/requests", response={201: RequestOut}, summary="提交融资需求（合同贷请在网页上传合同）"
)
def request_create(request: HttpRequest, payload: RequestIn) -> Any:
    data = payload.dict()
    institution_id = data.pop("institution_id")
    fund_id = data.pop("fund_id")
    errors: dict[str, list[str]] = {}
    chosen = None
    if institution_id is not None:
        chosen = Provider.objects.approved().filter(pk=institution_id).first()
        if chosen is None:
            errors["institution_id"] = ["未找到该金融机构。"]
    fund = None
    if fund_id is not None:
        fund = GovernmentFund.objects.filter(pk=fund_id, is_active=True).first()
        if fund is None:
            errors["fund_id"] = ["未找到该基金。"]
    if data["kind"] == "contract":
        errors["kind"] = ["合同贷须上传采购合同或中标通知书，请在网页提交。"]
    if errors:
        raise ValidationError(errors)
    need = services.request_submit(user=request.user, chosen_provider=chosen, fund=fund, **data)
    return Status(201, _request(request, need))


@router.get("/requests/{request_id}", response=RequestOut, summary="融资需求详情与进度")
def request_detail(request: HttpRequest, request_id: int) -> Any:
    return _request(request, selectors.request_get(user=request.user, pk=request_id))


# --- orders -------------------------------------------


@router.get("/orders", response=list[OrderOut], summary="融资对接单（机构：本机构的）")
@paginate(LimitOffsetPagination)
def order_list(request: HttpRequest, filters: Query[OrderFilter]) -> Any:
    return [_order(o) for o in selectors.orders_for(request.user, status=filters.status)[:500]]


@router.get("/orders/{order_id}", response=OrderOut, summary="对接单详情")
def order_detail(request: HttpRequest, order_id: int) -> Any:
    return _order(selectors.order_get(user=request.user, pk=order_id))


def _get(request: HttpRequest, order_id: int) -> FinancingOrder:
    return selectors.order_get(user=request.user, pk=order_id)


@router.post("/orders/{order_id}/take", response=OrderOut, summary="接单")
def order_take(request: HttpRequest, order_id: int, payload: NoteIn) -> Any:
    order = services.order_take(
        order=_get(request, order_id), actor=request.user, note=payload.note
    )
    return _order(selectors.order_get(user=request.user, pk=order.pk))


@router.post("/orders/{order_id}/grant", response=OrderOut, summary="反馈放款（金额、利率、期限）")
def order_grant(request: HttpRequest, order_id: int, payload: GrantIn) -> Any:
    order = services.order_grant(
        order=_get(request, order_id), actor=request.user, **payload.dict()
    )
    return _order(selectors.order_get(user=request.user, pk=order.pk))


@router.post("/orders/{order_id}/refuse", response=OrderOut, summary="反馈未获批（原因）")
def order_refuse(request: HttpRequest, order_id: int, payload: RefuseIn) -> Any:
    order = services.order_refuse(
        order=_get(request, order_id), actor=request.user, reason=payload.reason
    )
    return _order(selectors.order_get(user=request.user, pk=order.pk))


@router.post("/orders/{order_id}/cancel", response=OrderOut, summary="企业撤回")
def order_cancel(request: HttpRequest, order_id: int, payload: NoteIn) -> Any:
    order = services.order_cancel(
        order=_get(request, order_id), actor=request.user, reason=payload.note
    )
    return _order(selectors.order_get(user=request.user, pk=order.pk))


@router.post("/orders/{order_id}/rate", response=OrderOut, summary="企业评价（1–5星）")
def order_rate(request: HttpRequest, order_id: int, payload: RateIn) -> Any:
    order = services.order_rate(
        order=_get(request, order_id),
        actor=request.user,
        rating=payload.rating,
        comment=payload.comment,
    )
    return _order(selectors.order_get(user=request.user, pk=order.pk))


# --- statistics -------------------------------------------


@router.get("/statistics", response=StatisticsOut, summary="各金融机构的对接统计（按期间）")
def statistics(request: HttpRequest, filters: Query[StatisticsFilter]) -> Any:
    if not can_oversee(request.user):
        raise PermissionDenied("仅限平台工作人员和工信局查看。")
    end = filters.end or timezone.localdate()
    start = filters.start or end.replace(month=1, day=1)
    if start > end:
        raise ValidationError({"end": ["结束日期不能早于开始日期。"]})
    stats = selectors.financing_statistics(start=start, end=end)
    return {
        "start": start,
        "end": end,
        "needs": stats.needs,
        "matched": stats.matched,
        "institutions": [
            {
                "institution_id": r.provider_id,
                "institution": r.name,
                "received": r.received,
                "taken": r.taken,
                "granted": r.granted,
                "refused": r.refused,
                "granted_amount": r.granted_amount,
                "avg_days_to_outcome": r.avg_days_to_outcome,
                "avg_rating": r.avg_rating,
            }
            for r in stats.rows
        ],
    }
