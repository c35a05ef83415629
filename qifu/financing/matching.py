"""Matching a financing need to the published products (信易贷: by amount, term, kind and the
enterprise's profile), with the reasons a person reads. A product that fails one criterion is
left out; the ones that pass are ranked by kind (the kind asked for first) and by rate."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from qifu.accounts.industries import industry_label
from qifu.accounts.models import Enterprise, Scale
from qifu.financing.models import FinancialProduct, ProductKind, RequestKind


@dataclass
class Match:
    product: FinancialProduct
    reasons: list[str] = field(default_factory=list)
    score: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "product": self.product.pk,
            "provider": self.product.provider_id,
            "score": self.score,
            "reasons": self.reasons,
        }


def _wan(value: Decimal) -> str:
    return f"{value.normalize():f}"


def check_product(
    product: FinancialProduct,
    *,
    enterprise: Enterprise,
    kind: str,
    amount: Decimal,
    term_months: int,
    today: Any = None,
) -> Match | None:
    """The reasons the product fits the need, or None when it does not."""
    reasons: list[str] = []
    score = 0
    if kind == RequestKind.ANY:
        if product.kind == ProductKind.CONTRACT:
            return None  # a contract loan needs the contract: asked for explicitly
        reasons.append(f"产品类型：{product.get_kind_display()}（未限定方式）")  # type: ignore[attr-defined]
    elif product.kind != kind:
        return None
    else:
        reasons.append(f"融资方式一致：{product.get_kind_display()}")  # type: ignore[attr-defined]
        score += 3
    if not (product.amount_min <= amount <= product.amount_max):
        return None
    reasons.append(
        f"金额 {_wan(amount)} 万元在产品额度"
        f" {_wan(product.amount_min)}–{_wan(product.amount_max)} 万元之内"
    )
    if not (product.term_min_months <= term_months <= product.term_max_months):
        return None
    reasons.append(
        f"期限 {term_months} 个月在 {product.term_min_months}–{product.term_max_months} 个月之内"
    )
    if product.scales:
        if enterprise.scale not in product.scales:
            return None
        reasons.append(f"企业规模（{Scale(enterprise.scale).label}）在适用范围内")
        score += 1
    if product.industries:
        if not any(enterprise.industry.startswith(p) for p in product.industries):
            return None
        reasons.append(f"所属行业（{industry_label(enterprise.industry)}）在适用范围内")
        score += 2
    if product.min_years:
        years = enterprise.years_since_founding(today)
        if years is None or years < product.min_years:
            return None
        reasons.append(f"成立 {years} 年，满足至少 {product.min_years} 年的要求")
        score += 1
    return Match(product=product, reasons=reasons, score=score)


def match_products(
    *,
    enterprise: Enterprise,
    kind: str,
    amount: Decimal,
    term_months: int,
    provider_id: int | None = None,
) -> list[Match]:
    """Published products that fit, best first (one query)."""
    qs = FinancialProduct.objects.published().select_related("provider")
    qs = qs.filter(provider__status="approved")
    if provider_id is not None:
        qs = qs.filter(provider_id=provider_id)
    matches = [
        m
        for product in qs
        if (
            m := check_product(
                product, enterprise=enterprise, kind=kind, amount=amount, term_months=term_months
            )
        )
        is not None
    ]
    matches.sort(key=lambda m: (-m.score, m.product.rate_min, m.product.pk))
    return matches


def best_per_provider(matches: list[Match]) -> list[Match]:
    """The best product of each institution, in the order of the matches."""
    seen: set[int] = set()
    best = []
    for match in matches:
        if match.product.provider_id not in seen:
            seen.add(match.product.provider_id)
            best.append(match)
    return best
