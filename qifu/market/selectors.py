"""Reads of the 服务超市: public offerings, the orders a user may see, providers' public record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from qifu.market.access import is_market_staff
from qifu.market.models import (
    Category,
    Complaint,
    ComplaintStatus,
    Offering,
    Order,
    OrderEvent,
    OrderStatus,
    SelectionMethod,
)
from qifu.providers.access import provider_for
from qifu.providers.models import Provider, ProviderStatus
from qifu.publishing.models import PublicationStatus


def offerings_public(
    *, category: str = "", q: str = "", provider: Any = None
) -> QuerySet[Offering]:
    """Published offerings of approved providers, newest first, filtered."""
    qs = (
        Offering.objects.published()
        .filter(provider__status=ProviderStatus.APPROVED)
        .select_related("provider")
    )
    if category in Category.values:
        qs = qs.filter(category=category)
    if provider is not None:
        qs = qs.filter(provider=provider)
    q = q.strip()[:50]
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(provider__name__icontains=q)
        )
    return qs.order_by("-published_at", "-pk")  # type: ignore[no-any-return]


def offering_public_or_404(pk: int) -> Offering:
    from django.http import Http404

    offering = offerings_public().filter(pk=pk).first()
    if offering is None:
        raise Http404("未找到，或您无权查看。")
    return offering


def offerings_of(provider: Any) -> QuerySet[Offering]:
    """A provider's own offerings in every status (its management list)."""
    return Offering.objects.of_provider(provider).order_by("-updated_at", "-pk")  # type: ignore[no-any-return]


def offerings_to_review(user: Any) -> QuerySet[Offering]:
    """Submitted offerings for the market's staff (never their own writing: they write none)."""
    if not is_market_staff(user):
        return Offering.objects.none()
    return (
        Offering.objects.filter(status=PublicationStatus.SUBMITTED)
        .select_related("provider")
        .order_by("submitted_at", "pk")
    )


def offering_for_manager(user: Any, pk: int) -> Offering:
    """An offering its provider's members (or the market staff) may open, else 404."""
    from django.http import Http404

    provider = provider_for(user)
    qs = Offering.objects.select_related("provider")
    if is_market_staff(user):
        offering = qs.filter(pk=pk).exclude(status=PublicationStatus.DRAFT).first()
    elif provider is not None:
        offering = qs.filter(pk=pk, provider=provider).first()
    else:
        offering = None
    if offering is None:
        raise Http404("未找到，或您无权查看。")
    return offering


def qualified_providers(*, category: str, excluded: list[int] | None = None) -> list[Provider]:
    """Approved providers with a published offering in the category (the draw's candidates),
    ordered by id so that a draw's record can be computed again."""
    ids = (
        Offering.objects.published()
        .filter(category=category, provider__status=ProviderStatus.APPROVED)
        .values_list("provider_id", flat=True)
    )
    return list(Provider.objects.filter(pk__in=ids).exclude(pk__in=excluded or []).order_by("pk"))


def may_quote(user: Any, order: Order) -> bool:
    """A provider with a published offering in the need's category, not one that declined it."""
    provider = provider_for(user)
    if provider is None or order.method != SelectionMethod.QUOTE:
        return False
    if order.pk and order.declined_providers.filter(pk=provider.pk).exists():
        return False
    return Offering.objects.published().filter(provider=provider, category=order.category).exists()


def orders_for(user: Any, *, status: str = "") -> QuerySet[Order]:
    """The orders the user may see (Order.for_user), newest first."""
    qs = Order.objects.for_user(user).select_related("enterprise", "provider", "offering")
    if status in OrderStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def order_events(order: Order, *, public_only: bool) -> QuerySet[OrderEvent]:
    qs = order.events.select_related("actor").order_by("at", "id")
    return qs.filter(is_public=True) if public_only else qs


def complaints_open() -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(status=ComplaintStatus.OPEN)
        .select_related("order__enterprise", "order__provider")
        .order_by("created_at")
    )


@dataclass(frozen=True)
class ProviderRecord:
    """What the public sees of a provider's service (the 网上中介服务超市 practice)."""

    completed: int
    rated: int
    rating: float | None
    response_hours: float | None
    offerings: int


def provider_record(provider: Any) -> ProviderRecord:
    """Completed orders, average rating and average time to accept, in two queries."""
    orders = Order.objects.filter(provider=provider)
    response = ExpressionWrapper(F("accepted_at") - F("submitted_at"), output_field=DurationField())
    totals = orders.aggregate(
        completed=Count("pk", filter=Q(status=OrderStatus.COMPLETED)),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        rating=Avg("rating"),
        response=Avg(response, filter=Q(accepted_at__isnull=False, submitted_at__isnull=False)),
    )
    offerings = offerings_public(provider=provider).count()
    hours = totals["response"].total_seconds() / 3600 if totals["response"] is not None else None
    return ProviderRecord(
        completed=totals["completed"],
        rated=totals["rated"],
        rating=round(float(totals["rating"]), 1) if totals["rating"] is not None else None,
        response_hours=round(hours, 1) if hours is not None else None,
        offerings=offerings,
    )


def providers_public() -> QuerySet[Provider]:
    """Approved providers with at least one published offering, with their record in one query."""
    listed = Offering.objects.published().values_list("provider_id", flat=True)
    return (
        Provider.objects.approved()
        .filter(pk__in=listed)
        .annotate(
            completed_count=Count(
                "market_orders", filter=Q(market_orders__status=OrderStatus.COMPLETED)
            ),
            rating_avg=Avg("market_orders__rating"),
        )
        .order_by("kind", "name")
    )
