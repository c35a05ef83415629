"""Reads of 融资服务: public lists, scoped needs and orders, timelines and statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from qifu.accounts.access import get_for_user_or_404
from qifu.financing.models import (
    FinancialProduct,
    FinancingNews,
    FinancingOrder,
    FinancingOrderEvent,
    FinancingRequest,
    GovernmentFund,
    OrderStatus,
)
from qifu.providers.models import FINANCIAL_KINDS, Provider


def news_published() -> QuerySet[FinancingNews]:
    return FinancingNews.objects.published().order_by("-published_at", "-id")


def products_published(*, kind: str = "", provider_id: int | None = None) -> QuerySet[Any]:
    qs = FinancialProduct.objects.published().select_related("provider")
    qs = qs.filter(provider__status="approved")
    if kind:
        qs = qs.filter(kind=kind)
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    return qs.order_by("rate_min", "-published_at", "id")


def institutions(*, kind: str = "") -> QuerySet[Provider]:
    """Admitted banks and guarantee institutions, with how many products each lists."""
    kinds = [kind] if kind in FINANCIAL_KINDS else list(FINANCIAL_KINDS)
    today = timezone.localdate()
    listed = Q(products__status="published") & (
        Q(products__expires_on__isnull=True) | Q(products__expires_on__gte=today)
    )
    return (
        Provider.objects.approved()
        .filter(kind__in=kinds)
        .annotate(product_count=Count("products", filter=listed))
        .order_by("kind", "name")
    )


def funds() -> QuerySet[GovernmentFund]:
    return GovernmentFund.objects.filter(is_active=True).select_related("operator")


def requests_for(user: Any) -> QuerySet[FinancingRequest]:
    """Needs the user may see, newest first, with their orders (two queries a page)."""
    return (
        FinancingRequest.objects.for_user(user)
        .select_related("enterprise", "fund")
        .prefetch_related(
            Prefetch("orders", queryset=FinancingOrder.objects.select_related("provider"))
        )
        .order_by("-created_at", "-id")
    )


def request_get(*, user: Any, pk: int) -> FinancingRequest:
    return get_for_user_or_404(
        FinancingRequest.objects.select_related("enterprise", "fund", "chosen_provider", "posting"),
        user,
        pk=pk,
    )


def orders_for(user: Any, *, status: str = "") -> QuerySet[FinancingOrder]:
    qs = FinancingOrder.objects.for_user(user).select_related(
        "request__enterprise", "provider", "product"
    )
    if status == "open":
        qs = qs.filter(status__in=[OrderStatus.PENDING, OrderStatus.TAKEN])
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-sent_at", "-id")


def order_get(*, user: Any, pk: int) -> FinancingOrder:
    return get_for_user_or_404(
        FinancingOrder.objects.select_related(
            "request__enterprise", "request__fund", "provider", "product", "taken_by"
        ),
        user,
        pk=pk,
    )


def request_orders(request: FinancingRequest, *, user: Any) -> list[FinancingOrder]:
    """The orders of a need the user may see: all for the enterprise and the staff, the
    institution's own for an institution."""
    return list(
        FinancingOrder.objects.for_user(user)
        .filter(request=request)
        .select_related("provider", "product")
        .order_by("sent_at", "id")
    )


def order_events(orders: list[FinancingOrder], *, public_only: bool) -> list[FinancingOrderEvent]:
    qs = (
        FinancingOrderEvent.objects.filter(order__in=orders)
        .select_related("order__provider", "actor")
        .order_by("at", "id")
    )
    return list(qs.filter(is_public=True) if public_only else qs)


def documents_visible(request: FinancingRequest, *, user: Any) -> QuerySet[Any]:
    """The need's documents, for the enterprise, the staff, or an institution it was sent to."""
    from qifu.financing.access import can_oversee
    from qifu.providers.access import provider_id_for

    if user.enterprise_id == request.enterprise_id or can_oversee(user):
        return request.documents.all()
    provider_id = provider_id_for(user)
    if provider_id is not None and request.orders.filter(provider_id=provider_id).exists():
        return request.documents.all()
    return request.documents.none()


# --- statistics -------------------------------------------------------------------------------


@dataclass
class InstitutionRow:
    provider_id: int
    name: str
    kind: str
    received: int = 0
    taken: int = 0
    granted: int = 0
    refused: int = 0
    granted_amount: Decimal = Decimal("0")
    outcome_hours: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    @property
    def take_rate(self) -> float | None:
        return round(self.taken / self.received * 100, 1) if self.received else None

    @property
    def avg_days_to_outcome(self) -> float | None:
        if not self.outcome_hours:
            return None
        return round(sum(self.outcome_hours) / len(self.outcome_hours) / 24, 1)

    @property
    def avg_rating(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 1) if self.ratings else None


@dataclass
class FinancingStatistics:
    start: dt.date
    end: dt.date
    needs: int
    matched: int
    rows: list[InstitutionRow]

    @property
    def totals(self) -> InstitutionRow:
        total = InstitutionRow(provider_id=0, name="合计", kind="")
        for row in self.rows:
            total.received += row.received
            total.taken += row.taken
            total.granted += row.granted
            total.refused += row.refused
            total.granted_amount += row.granted_amount
            total.outcome_hours += row.outcome_hours
            total.ratings += row.ratings
        return total


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return low, high


def financing_statistics(
    *, start: dt.date, end: dt.date, provider_id: int | None = None
) -> FinancingStatistics:
    """Needs, matched needs, and per institution: orders received, taken up, granted (count and
    amount), refused, time to outcome and ratings, for orders sent in [start, end] (local dates).
    The assessment (监督考核) reads this selector."""
    low, high = _bounds(start, end)
    needs = FinancingRequest.objects.filter(created_at__gte=low, created_at__lt=high)
    orders = FinancingOrder.objects.filter(sent_at__gte=low, sent_at__lt=high)
    if provider_id is not None:
        orders = orders.filter(provider_id=provider_id)
        needs = needs.filter(orders__provider_id=provider_id).distinct()
    rows: dict[int, InstitutionRow] = {}
    values = orders.values_list(
        "provider_id",
        "provider__name",
        "provider__kind",
        "status",
        "taken_at",
        "sent_at",
        "decided_at",
        "granted_amount",
        "rating",
    )
    for pid, name, kind, status, taken_at, sent_at, decided_at, amount, rating in values:
        row = rows.setdefault(pid, InstitutionRow(provider_id=pid, name=name, kind=kind))
        row.received += 1
        if taken_at is not None:
            row.taken += 1
        if status == OrderStatus.GRANTED:
            row.granted += 1
            row.granted_amount += amount or Decimal("0")
        elif status == OrderStatus.REFUSED:
            row.refused += 1
        if decided_at is not None and status in (OrderStatus.GRANTED, OrderStatus.REFUSED):
            row.outcome_hours.append((decided_at - sent_at).total_seconds() / 3600)
        if rating:
            row.ratings.append(rating)
    matched = needs.annotate(n=Count("orders")).filter(n__gt=0).count()
    return FinancingStatistics(
        start=start,
        end=end,
        needs=needs.count(),
        matched=matched,
        rows=sorted(rows.values(), key=lambda r: (-r.received, r.name)),
    )


def granted_total(*, enterprise_id: int) -> Decimal:
    value = FinancingOrder.objects.filter(
        request__enterprise_id=enterprise_id, status=OrderStatus.GRANTED
    ).aggregate(total=Sum("granted_amount"))["total"]
    return value or Decimal("0")
