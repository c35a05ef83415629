"""Reads of the public promotion pages: published items only (measures article 12)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from qifu.investment.catalogue import KINDS, Kind, files_of
from qifu.investment.models import (
    Availability,
    CatalogueFile,
    Chain,
    ChainLink,
    CooperationProject,
    EnterpriseNeed,
    EnvironmentSection,
    IdleAsset,
    InvestmentCost,
    InvestmentPolicy,
    MediaItem,
    Park,
    PromotionContact,
)


def chains() -> QuerySet[Chain]:
    return Chain.objects.published().prefetch_related(  # type: ignore[no-any-return]
        Prefetch("links", queryset=ChainLink.objects.order_by("order", "id"))
    )


def parks(*, chain: Chain | None = None, min_land: Decimal | None = None) -> QuerySet[Park]:
    qs = Park.objects.published().select_related("town", "chain")
    if chain is not None:
        qs = qs.filter(chain=chain)
    if min_land is not None:
        qs = qs.filter(available_land__gte=min_land)
    return qs  # type: ignore[no-any-return]


def assets(
    *, kind: str = "", town: Any = None, availability: str = "", min_area: Decimal | None = None
) -> QuerySet[IdleAsset]:
    qs = IdleAsset.objects.published().select_related("town", "park")
    if kind:
        qs = qs.filter(kind=kind)
    if town is not None:
        qs = qs.filter(town=town)
    qs = (
        qs.filter(availability=availability)
        if availability
        else qs.exclude(availability=Availability.TAKEN)
    )
    if min_area is not None:
        qs = qs.filter(area__gte=min_area)
    return qs  # type: ignore[no-any-return]


def cooperation() -> QuerySet[CooperationProject]:
    return CooperationProject.objects.published().select_related("chain", "town")  # type: ignore[no-any-return]


def costs() -> QuerySet[InvestmentCost]:
    return InvestmentCost.objects.published()  # type: ignore[no-any-return]


def policies() -> QuerySet[InvestmentPolicy]:
    return InvestmentPolicy.objects.published().select_related("policy")  # type: ignore[no-any-return]


def needs() -> QuerySet[EnterpriseNeed]:
    return EnterpriseNeed.objects.published().select_related("enterprise")  # type: ignore[no-any-return]


def environment() -> QuerySet[EnvironmentSection]:
    return EnvironmentSection.objects.published()  # type: ignore[no-any-return]


def contacts() -> QuerySet[PromotionContact]:
    return PromotionContact.objects.published()  # type: ignore[no-any-return]


def media() -> QuerySet[MediaItem]:
    return MediaItem.objects.published()  # type: ignore[no-any-return]


def published_item(kind: Kind, pk: int) -> Any:
    return kind.model.objects.published().filter(pk=pk).first() if kind.public else None


def photos(item: Any) -> list[CatalogueFile]:
    return [f for f in files_of(item) if f.is_image]


def public_file(pk: int) -> CatalogueFile | None:
    """A file of an item the public may see (published, of a public kind), else None."""
    stored = CatalogueFile.objects.select_related("item_type").filter(pk=pk).first()
    if stored is None:
        return None
    model = stored.item_type.model_class()
    kind = next((k for k in KINDS.values() if k.model is model), None)
    if kind is None or not kind.public:
        return None
    return stored if kind.model.objects.published().filter(pk=stored.item_id).exists() else None


def point(item: Any, *, url: str, kind: str, label: str, detail: str = "") -> dict[str, Any] | None:
    if item.latitude is None or item.longitude is None:
        return None
    return {
        "lat": float(item.latitude),
        "lng": float(item.longitude),
        "kind": kind,
        "name": label,
        "detail": detail,
        "url": url,
    }
