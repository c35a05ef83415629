"""招商大数据分析 and 招商决策支持: chain gaps, statistics and the data behind the maps.

Each statistic is a `Dataset`: a title, a table (headers and rows: the text alternative and the
Excel export) and, where it is charted, the series the chart draws from the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from qifu.accounts.models import Department, DepartmentKind, Enterprise
from qifu.investment.models import (
    NODE_ORDER,
    AssetKind,
    Availability,
    Chain,
    ChainLink,
    ChainPlacement,
    ContactStatus,
    IdleAsset,
    KeyEnterprise,
    Lead,
    LeadNode,
    Park,
    Stage,
    Visit,
    VisitDirection,
)
from qifu.investment.services.leads import amount_band

MAP_POINT_LIMIT = 2000
# The share of a link's planned output below which it counts as weak (薄弱).
WEAK_SHARE = Decimal("0.5")


@dataclass
class Dataset:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart: dict[str, Any] = field(default_factory=dict)  # {"type", "categories", "series"}
    note: str = ""


def _wan(value: Any) -> float:
    return float(round(Decimal(value or 0), 2))


# --- chain gaps ------------------------------------------------------------------------------


@dataclass
class LinkGap:
    link: ChainLink
    enterprises: list[Enterprise]
    output: Decimal
    target: Decimal
    candidates: list[KeyEnterprise]
    open_leads: int

    @property
    def gap(self) -> Decimal:
        return max(self.target - self.output, Decimal("0"))

    @property
    def status(self) -> str:
        if not self.enterprises:
            return "空白"
        if self.target and self.output < self.target * WEAK_SHARE:
            return "薄弱"
        if self.target and self.output < self.target:
            return "待补强"
        return "较强"

    @property
    def tone(self) -> str:
        return {"空白": "danger", "薄弱": "warning", "待补强": "info"}.get(self.status, "success")


def local_enterprises_by_link(links: list[ChainLink]) -> dict[int, list[Enterprise]]:
    """Enterprises placed on each link: by industry code, adjusted by hand."""
    enterprises = list(
        Enterprise.objects.filter(is_active=True).only(
            "id", "name", "industry", "revenue", "region_id"
        )
    )
    by_id = {e.pk: e for e in enterprises}
    placed: dict[int, dict[int, Enterprise]] = {
        link.pk: {e.pk: e for e in enterprises if link.matches(e.industry)} for link in links
    }
    for adjustment in ChainPlacement.objects.filter(link__in=links):
        chosen = placed.setdefault(adjustment.link_id, {})
        if adjustment.is_excluded:
            chosen.pop(adjustment.enterprise_id, None)
        elif adjustment.enterprise_id in by_id:
            chosen[adjustment.enterprise_id] = by_id[adjustment.enterprise_id]
    return {
        link_id: sorted(rows.values(), key=lambda e: (-e.revenue, e.name))
        for link_id, rows in placed.items()
    }


def chain_gaps(*, chain: Chain | None = None) -> list[tuple[Chain, list[LinkGap]]]:
    """For each chain link: local enterprises, their output, the gap to the planned output, and
    the outside key enterprises that could fill it (not yet converted, largest first)."""
    chains = list(Chain.objects.filter(pk=chain.pk) if chain else Chain.objects.all())
    links = list(ChainLink.objects.filter(chain__in=chains).order_by("chain", "order", "id"))
    placed = local_enterprises_by_link(links)
    candidates: dict[int, list[KeyEnterprise]] = defaultdict(list)
    for key in (
        KeyEnterprise.objects.filter(chain_link__in=links)
        .exclude(contact_status=ContactStatus.CONVERTED)
        .order_by("-revenue", "name")
    ):
        candidates[key.chain_link_id].append(key)  # type: ignore[index]
    open_leads = Counter(
        Lead.objects.open().filter(chain_link__in=links).values_list("chain_link_id", flat=True)
    )
    out = []
    for c in chains:
        gaps = []
        for link in (link for link in links if link.chain_id == c.pk):
            local = placed.get(link.pk, [])
            gaps.append(
                LinkGap(
                    link=link,
                    enterprises=local,
                    output=sum((e.revenue for e in local), Decimal("0")),
                    target=link.target_output,
                    candidates=candidates.get(link.pk, []),
                    open_leads=open_leads.get(link.pk, 0),
                )
            )
        out.append((c, gaps))
    return out


def chain_gap_dataset(gaps: list[tuple[Chain, list[LinkGap]]]) -> Dataset:
    rows = []
    for c, links in gaps:
        for g in links:
            rows.append(
                [
                    c.name,
                    g.link.get_position_display(),  # type: ignore[attr-defined]
                    g.link.name,
                    len(g.enterprises),
                    _wan(g.output),
                    _wan(g.target),
                    _wan(g.gap),
                    g.status,
                    "、".join(k.name for k in g.candidates[:5]) or "—",
                    g.open_leads,
                ]
            )
    return Dataset(
        "gaps",
        "产业链缺链补链分析",
        [
            "产业链",
            "位置",
            "环节",
            "本地企业数",
            "本地产值（万元）",
            "目标产值（万元）",
            "缺口（万元）",
            "判断",
            "可招引的外地重点企业",
            "在谈项目",
        ],
        rows,
    )


# --- pipeline statistics -------------------------------------------------------------------


def pipeline_datasets(leads: Any) -> list[Dataset]:
    """Projects by node, by chain and by amount band, from the leads the user may read."""
    by_stage = {
        row["stage"]: row
        for row in leads.values("stage").annotate(n=Count("id"), total=Sum("amount"))
    }
    stages = [*NODE_ORDER, Stage.TERMINATED]
    node_rows = [
        [Stage(s).label, by_stage.get(s, {}).get("n", 0), _wan(by_stage.get(s, {}).get("total"))]
        for s in stages
    ]
    by_chain = (
        leads.values("chain__name").annotate(n=Count("id"), total=Sum("amount")).order_by("-n")
    )
    chain_rows = [[r["chain__name"] or "未归链", r["n"], _wan(r["total"])] for r in by_chain]
    bands: Counter[str] = Counter()
    band_totals: dict[str, Decimal] = defaultdict(Decimal)
    for amount in leads.values_list("amount", flat=True):
        band = amount_band(amount)
        bands[band] += 1
        band_totals[band] += amount or 0
    band_order = ["5000万元以下", "5000万–1亿元", "1亿–5亿元", "5亿元及以上", "未填写"]
    band_rows = [[b, bands[b], _wan(band_totals[b])] for b in band_order if bands[b]]
    return [
        Dataset(
            "stages",
            "招商项目按节点",
            ["节点", "项目数", "计划投资（万元）"],
            node_rows,
            {
                "type": "bar",
                "categories": [r[0] for r in node_rows],
                "series": [{"name": "项目数", "data": [r[1] for r in node_rows]}],
            },
        ),
        Dataset(
            "chains",
            "招商项目按产业链",
            ["产业链", "项目数", "计划投资（万元）"],
            chain_rows,
            {
                "type": "pie",
                "categories": [r[0] for r in chain_rows],
                "series": [{"name": "计划投资（万元）", "data": [r[2] for r in chain_rows]}],
            },
        ),
        Dataset(
            "amounts",
            "招商项目按投资规模",
            ["投资规模", "项目数", "计划投资（万元）"],
            band_rows,
            {
                "type": "bar",
                "categories": [r[0] for r in band_rows],
                "series": [{"name": "项目数", "data": [r[1] for r in band_rows]}],
            },
        ),
    ]


def asset_dataset() -> Dataset:
    """Idle assets by kind and status (count and area), all of them, for staff."""
    counts = {
        (r["kind"], r["availability"]): r
        for r in IdleAsset.objects.values("kind", "availability").annotate(
            n=Count("id"), area=Sum("area")
        )
    }
    rows = []
    for kind, kind_label in AssetKind.choices:
        row: list[Any] = [kind_label]
        for availability, _label in Availability.choices:
            row.append(counts.get((kind, availability), {}).get("n", 0))
        row.append(_wan(sum((r["area"] or 0) for (k, _a), r in counts.items() if k == kind)))
        rows.append(row)
    series = [
        {"name": label, "data": [r[i + 1] for r in rows], "stack": "n"}
        for i, (_v, label) in enumerate(Availability.choices)
    ]
    return Dataset(
        "assets",
        "闲置资产统计",
        ["类型", *[label for _v, label in Availability.choices], "总面积（㎡）"],
        rows,
        {"type": "bar", "categories": [r[0] for r in rows], "series": series},
    )


def visit_datasets(*, today: dt.date | None = None) -> list[Dataset]:
    """Visits per month over the last twelve months, and by place of origin."""
    today = today or timezone.localdate()
    first = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    months: list[str] = []
    cursor = first
    while cursor <= today:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    counts: Counter[tuple[str, str]] = Counter()
    people: Counter[str] = Counter()
    origins: Counter[str] = Counter()
    for visit in Visit.objects.filter(visited_on__gte=first, visited_on__lte=today):
        month = visit.visited_on.strftime("%Y-%m")
        counts[(month, visit.direction)] += 1
        people[month] += visit.people
        if visit.direction == VisitDirection.INCOMING:
            origins[visit.origin_label] += 1
    month_rows = [
        [m, counts[(m, VisitDirection.INCOMING)], counts[(m, VisitDirection.OUTGOING)], people[m]]
        for m in months
    ]
    origin_rows = [[name, n] for name, n in origins.most_common()]
    return [
        Dataset(
            "visits",
            "来访出访统计（近12个月）",
            ["月份", "来访（批次）", "出访（批次）", "人次"],
            month_rows,
            {
                "type": "bar",
                "categories": months,
                "series": [
                    {"name": "来访", "data": [r[1] for r in month_rows]},
                    {"name": "出访", "data": [r[2] for r in month_rows]},
                ],
            },
        ),
        Dataset(
            "visit_origins",
            "来访团组来源（近12个月）",
            ["来源地", "批次"],
            origin_rows,
            {
                "type": "pie",
                "categories": [r[0] for r in origin_rows],
                "series": [{"name": "批次", "data": [r[1] for r in origin_rows]}],
            },
        ),
    ]


def foreign_dataset(leads: Any) -> Dataset:
    """Foreign investment by country and year of signing (万美元), from signed projects."""
    signed = LeadNode.objects.filter(
        stage=Stage.SIGNED,
        reached_at__isnull=False,
        lead__in=leads.exclude(country__in=["", "中国"]),
    ).select_related("lead")
    totals: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    numbers: Counter[tuple[str, int]] = Counter()
    for node in signed:
        year = timezone.localtime(node.reached_at).year  # type: ignore[arg-type]
        key = (node.lead.country, year)
        totals[key] += node.lead.foreign_amount or 0
        numbers[key] += 1
    years = sorted({y for _c, y in totals})
    countries = sorted({c for c, _y in totals}, key=lambda c: -sum(totals[(c, y)] for y in years))
    rows = [
        [c, *[_wan(totals[(c, y)]) for y in years], sum(numbers[(c, y)] for y in years)]
        for c in countries
    ]
    return Dataset(
        "foreign",
        "外资项目按国家和签约年份（万美元）",
        ["国家/地区", *[f"{y}年" for y in years], "项目数"],
        rows,
        {
            "type": "bar",
            "categories": countries,
            "series": [
                {"name": f"{y}年", "data": [r[i + 1] for r in rows]} for i, y in enumerate(years)
            ],
        },
    )


# --- maps -----------------------------------------------------------------------------------


def origin_dataset(leads: Any) -> Dataset:
    """Leads and incoming visits by province of origin (China), for the national map."""
    lead_counts = Counter(
        p
        for p in leads.filter(country="中国")
        .exclude(province="")
        .values_list("province", flat=True)
    )
    visit_counts = Counter(
        p
        for p in Visit.objects.filter(direction=VisitDirection.INCOMING, country="中国")
        .exclude(province="")
        .values_list("province", flat=True)
    )
    provinces = sorted(
        set(lead_counts) | set(visit_counts), key=lambda p: -(lead_counts[p] + visit_counts[p])
    )
    rows = [[p, lead_counts[p], visit_counts[p]] for p in provinces]
    foreign = Counter(leads.exclude(country__in=["", "中国"]).values_list("country", flat=True))
    return Dataset(
        "origins",
        "招商项目与来访团组来源（按省份）",
        ["省份", "招商项目", "来访团组"],
        rows,
        {
            "type": "map",
            "categories": provinces,
            "series": [
                {"name": "招商项目", "data": [r[1] for r in rows]},
                {"name": "来访团组", "data": [r[2] for r in rows]},
            ],
        },
        note="境外来源：" + ("、".join(f"{c} {n}个" for c, n in foreign.most_common()) or "无"),
    )


def town_dataset(
    *, chain: Chain | None = None, industry: str = ""
) -> tuple[Dataset, list[dict[str, Any]]]:
    """Enterprises by town (and their points), filtered by chain or industry prefix."""
    qs = Enterprise.objects.filter(is_active=True).select_related("region")
    links = list(chain.links.all()) if chain else []
    if industry:
        qs = qs.filter(industry__startswith=industry.upper())
    enterprises = [e for e in qs if not links or any(link.matches(e.industry) for link in links)]
    towns = list(Department.objects.filter(kind=DepartmentKind.TOWN).order_by("sort_order"))
    by_town = Counter(e.region_id for e in enterprises)
    revenue: dict[int | None, Decimal] = defaultdict(Decimal)
    for e in enterprises:
        revenue[e.region_id] += e.revenue
    rows = [[t.name, by_town.get(t.pk, 0), _wan(revenue.get(t.pk))] for t in towns]
    points = [
        {
            "lat": float(e.latitude),
            "lng": float(e.longitude),
            "kind": "enterprise",
            "name": e.name,
            "detail": f"{e.industry} · {e.region.name if e.region else ''}",
            "town": e.region.code if e.region else "",
        }
        for e in enterprises[:MAP_POINT_LIMIT]
        if e.latitude is not None and e.longitude is not None
    ]
    dataset = Dataset(
        "towns",
        "企业分布（按镇街）",
        ["镇街", "企业数", "营业收入（万元）"],
        rows,
        {"type": "towns", "counts": {t.code: by_town.get(t.pk, 0) for t in towns}},
    )
    return dataset, points


def park_asset_points() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    parks = [
        {
            "lat": float(p.latitude),
            "lng": float(p.longitude),
            "kind": "park",
            "name": p.name,
            "detail": f"可供土地 {p.available_land} 公顷",
        }
        for p in Park.objects.exclude(latitude__isnull=True).exclude(longitude__isnull=True)
    ]
    assets = [
        {
            "lat": float(a.latitude),
            "lng": float(a.longitude),
            "kind": "asset",
            "name": a.title,
            "detail": f"{a.get_kind_display()} · {a.area}㎡ · {a.get_availability_display()}",  # type: ignore[attr-defined]
        }
        for a in IdleAsset.objects.exclude(latitude__isnull=True).exclude(longitude__isnull=True)
    ]
    return parks, assets


def key_enterprise_counts() -> dict[str, int]:
    return dict(
        KeyEnterprise.objects.values_list("contact_status")
        .annotate(n=Count("id"))
        .values_list("contact_status", "n")
    )
