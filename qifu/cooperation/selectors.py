"""Reads of 校企共建: public resources and needs, one's own, co-operations, statistics."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from qifu.cooperation.access import is_cooperation_staff
from qifu.cooperation.models import (
    Cooperation,
    CooperationAction,
    CooperationEvent,
    CooperationStatus,
    Industry,
    Resource,
    ResourceKind,
    TechNeed,
)
from qifu.providers.access import provider_for
from qifu.providers.models import ProviderStatus
from qifu.publishing.models import PublicationStatus


def _search(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    q = q.strip()[:50]
    if not q:
        return qs
    return qs.filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(keywords__icontains=q))


def resources_public(*, kind: str = "", industry: str = "", q: str = "") -> QuerySet[Resource]:
    qs = (
        Resource.objects.published()
        .filter(provider__status=ProviderStatus.APPROVED)
        .select_related("provider")
    )
    if kind in ResourceKind.values:
        qs = qs.filter(kind=kind)
    if industry in Industry.values:
        qs = qs.filter(industry=industry)
    return _search(qs, q).order_by("-published_at", "-pk")


def needs_public(*, industry: str = "", q: str = "") -> QuerySet[TechNeed]:
    qs = TechNeed.objects.published().select_related("enterprise")
    if industry in Industry.values:
        qs = qs.filter(industry=industry)
    return _search(qs, q).order_by("-published_at", "-pk")


def resource_public_or_404(pk: int) -> Resource:
    found = resources_public().filter(pk=pk).first()
    if found is None:
        raise Http404("未找到，或已下线。")
    return found


def need_public_or_404(pk: int) -> TechNeed:
    found = needs_public().filter(pk=pk).first()
    if found is None:
        raise Http404("未找到，或已下线。")
    return found


def resources_of(user: Any) -> QuerySet[Resource]:
    provider = provider_for(user)
    if provider is None:
        return Resource.objects.none()
    return Resource.objects.filter(provider=provider).order_by("-updated_at", "-pk")


def needs_of(user: Any) -> QuerySet[TechNeed]:
    if not getattr(user, "is_authenticated", False) or not user.enterprise_id:
        return TechNeed.objects.none()
    return TechNeed.objects.filter(enterprise_id=user.enterprise_id).order_by("-updated_at", "-pk")


def resource_for_manager(user: Any, pk: int) -> Resource:
    """The provider's own resource, or a submitted one for the staff who review; else 404."""
    qs = Resource.objects.select_related("provider")
    if is_cooperation_staff(user):
        found = qs.filter(pk=pk).exclude(status=PublicationStatus.DRAFT).first()
    else:
        found = resources_of(user).filter(pk=pk).select_related("provider").first()
    if found is None:
        raise Http404("未找到，或您无权查看。")
    return found


def need_for_manager(user: Any, pk: int) -> TechNeed:
    qs = TechNeed.objects.select_related("enterprise")
    if is_cooperation_staff(user):
        found = qs.filter(pk=pk).exclude(status=PublicationStatus.DRAFT).first()
    else:
        found = needs_of(user).filter(pk=pk).select_related("enterprise").first()
    if found is None:
        raise Http404("未找到，或您无权查看。")
    return found


def to_review(user: Any) -> tuple[QuerySet[Resource], QuerySet[TechNeed]]:
    if not is_cooperation_staff(user):
        return Resource.objects.none(), TechNeed.objects.none()
    submitted = PublicationStatus.SUBMITTED
    return (
        Resource.objects.filter(status=submitted)
        .select_related("provider")
        .order_by("submitted_at"),
        TechNeed.objects.filter(status=submitted)
        .select_related("enterprise")
        .order_by("submitted_at"),
    )


def cooperations_for(user: Any, *, status: str = "") -> QuerySet[Cooperation]:
    qs = Cooperation.objects.for_user(user).select_related("enterprise", "provider")
    if status in CooperationStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


# --- Statistics (per period, from the history rows) ----------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    period: dt.date
    label: str
    proposed: int
    agreed: int
    completed: int
    amount: Decimal


def statistics_by_month(*, year: int) -> list[PeriodRow]:
    """Per month of a year: co-operations proposed, agreed and with outcomes (by the date of
    the step), and the contract amount agreed (万元)."""
    events = (
        CooperationEvent.objects.filter(at__year=year)
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(
            proposed=Count("pk", filter=Q(action=CooperationAction.PROPOSE)),
            agreed=Count("pk", filter=Q(action=CooperationAction.AGREE)),
            completed=Count("pk", filter=Q(action=CooperationAction.OUTCOME)),
        )
    )
    by_month = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row
        for row in events
    }
    amounts = (
        Cooperation.objects.filter(agreed_on__year=year)
        .values("agreed_on__month")
        .annotate(total=Sum("agreement_amount"))
    )
    amount_of = {row["agreed_on__month"]: row["total"] or Decimal(0) for row in amounts}
    rows = []
    for month in range(1, 13):
        day = dt.date(year, month, 1)
        row = by_month.get(day, {})
        rows.append(
            PeriodRow(
                period=day,
                label=f"{month}月",
                proposed=row.get("proposed", 0),
                agreed=row.get("agreed", 0),
                completed=row.get("completed", 0),
                amount=amount_of.get(month, Decimal(0)),
            )
        )
    return rows


def statistics_totals() -> dict[str, Any]:
    """The figures of the section's home page."""
    counts = Cooperation.objects.aggregate(
        total=Count("pk"),
        agreed=Count(
            "pk", filter=Q(status__in=[CooperationStatus.AGREED, CooperationStatus.COMPLETED])
        ),
        amount=Sum("agreement_amount"),
    )
    return {
        "resources": Resource.objects.published().count(),
        "needs": TechNeed.objects.published().count(),
        "cooperations": counts["total"],
        "agreed": counts["agreed"],
        "amount": counts["amount"] or Decimal(0),
    }


def statistics_by_provider() -> QuerySet[Any]:
    """Per university or institute: co-operations, agreements and contract amount."""
    return (
        Cooperation.objects.values("provider__name")
        .annotate(
            total=Count("pk"),
            agreed=Count(
                "pk",
                filter=Q(status__in=[CooperationStatus.AGREED, CooperationStatus.COMPLETED]),
            ),
            amount=Sum("agreement_amount"),
        )
        .order_by("-agreed", "-total", "provider__name")
    )
