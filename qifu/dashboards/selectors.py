"""The figures of the leader dashboards and of the open data, aggregated in the database.

Every figure is a GROUP BY (or one aggregate) over the record; Python only loops over the
groups (months, categories, towns, departments, distinct pairs of dates), never over the
appeals, so the number of queries and the work in Python stay bounded on 10^6 appeals. The
results are plain data, cached for DASHBOARD_CACHE_SECONDS.

Satisfaction is that of the platform's 电话回访 (art. 16: the record of the outcome; the
enterprise's online rating adds to the call and is confirmed by it), so no case counts twice.

Times are in working days (the calendar of qifu/workdays): "working days after the start's day
up to and including the end's day", as the deadlines count them; the same day is 0.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from qifu.accounts.models import Department, DepartmentKind
from qifu.appeals.models import (
    OPEN_STAGES,
    Appeal,
    AppealCategory,
    Assignment,
    Evaluation,
    Satisfaction,
    Stage,
    overdue_q,
)
from qifu.workdays.calendar import WorkCalendar

NO_TOWN = "未注明镇街"


# --- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: dt.date  # first day of the first month
    after: dt.date  # first day of the month after the last
    label: str

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.first, dt.time.min))

    @property
    def end(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.after, dt.time.min))

    @property
    def key(self) -> str:
        return f"{self.first:%Y%m}-{self.after:%Y%m}"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


PERIODS = {
    "12m": "近12个月",
    "year": "今年",
    "last_year": "去年",
    "6m": "近6个月",
}


def period_for(code: str, today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    this_month = month_start(today)
    if code == "year":
        return Period(dt.date(today.year, 1, 1), add_months(this_month, 1), PERIODS[code])
    if code == "last_year":
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1), PERIODS[code])
    if code == "6m":
        return Period(add_months(this_month, -5), add_months(this_month, 1), PERIODS[code])
    return Period(add_months(this_month, -11), add_months(this_month, 1), PERIODS["12m"])


# --- working-day durations ----------------------------------------------------------------------


@dataclass
class Duration:
    """How long something took, in working days, over `count` cases."""

    count: int = 0
    average: float | None = None
    median: float | None = None


class WorkdayIndex:
    """Working days between two dates by a table of cumulative counts: one calendar scan over the
    span, then each pair in constant time."""

    def __init__(self, first: dt.date, last: dt.date, calendar: WorkCalendar | None = None):
        calendar = calendar or WorkCalendar()
        self.first = first
        self.cumulative: list[int] = []
        total = 0
        day = first
        while day <= last:
            total += 1 if calendar.is_workday(day) else 0
            self.cumulative.append(total)
            day += dt.timedelta(days=1)

    def between(self, start: dt.date, end: dt.date) -> int:
        if end <= start:
            return 0
        return self.cumulative[(end - self.first).days] - self.cumulative[(start - self.first).days]


def durations(pairs: Iterable[dict[str, Any]]) -> Duration:
    """From rows {"start": date, "end": date, "n": count} (a GROUP BY of the two dates)."""
    rows = [r for r in pairs if r["start"] is not None and r["end"] is not None]
    if not rows:
        return Duration()
    first = min(r["start"] for r in rows)
    last = max(r["end"] for r in rows)
    index = WorkdayIndex(first, max(first, last))
    histogram: dict[int, int] = {}
    for r in rows:
        days = index.between(r["start"], r["end"])
        histogram[days] = histogram.get(days, 0) + int(r["n"])
    count = sum(histogram.values())
    total = sum(days * n for days, n in histogram.items())
    values = sorted(histogram)
    cumulative: list[int] = []
    running = 0
    for days in values:
        running += histogram[days]
        cumulative.append(running)

    def nth(k: int) -> int:  # the k-th smallest value, 0-based
        return values[bisect.bisect_right(cumulative, k)]

    if count % 2:
        median = float(nth(count // 2))
    else:
        median = (nth(count // 2 - 1) + nth(count // 2)) / 2
    return Duration(count=count, average=round(total / count, 1), median=median)


def _pairs(qs: QuerySet[Any], start: str, end: str) -> list[dict[str, Any]]:
    return list(
        qs.filter(**{f"{end}__isnull": False})
        .annotate(start=TruncDate(start), end=TruncDate(end))
        .values("start", "end")
        .annotate(n=Count("id"))
        .order_by()
    )


# --- the figures -------------------------------------------------------------------------------


@dataclass
class SatisfactionFigures:
    evaluations: int = 0
    satisfied: int = 0
    average_score: float | None = None

    @property
    def rate(self) -> float | None:
        return round(self.satisfied * 100 / self.evaluations, 1) if self.evaluations else None


@dataclass
class Overview:
    period: str
    totals: dict[str, int]
    by_month: list[dict[str, Any]]
    by_category: list[dict[str, Any]]
    by_town: list[dict[str, Any]]
    satisfaction: dict[str, Any]
    times: dict[str, dict[str, Any]]
    departments: list[dict[str, Any]]
    pipeline: list[dict[str, Any]] = field(default_factory=list)


def _satisfaction(evaluations: QuerySet[Evaluation]) -> dict[str, Any]:
    row = evaluations.aggregate(
        n=Count("id"),
        satisfied=Count("id", filter=~Q(satisfaction=Satisfaction.UNSATISFIED)),
        score=Avg("score"),
    )
    s = SatisfactionFigures(
        evaluations=row["n"],
        satisfied=row["satisfied"],
        average_score=round(float(row["score"]), 2) if row["score"] is not None else None,
    )
    return {**asdict(s), "rate": s.rate}


def _times(rounds: QuerySet[Assignment], appeals: QuerySet[Appeal]) -> dict[str, dict[str, Any]]:
    return {
        "contact": asdict(durations(_pairs(rounds, "dispatched_at", "first_contact_at"))),
        "respond": asdict(durations(_pairs(rounds, "dispatched_at", "responded_at"))),
        "close": asdict(durations(_pairs(appeals, "received_at", "closed_at"))),
    }


def _months(period: Period) -> list[dt.date]:
    months, day = [], period.first
    while day < period.after:
        months.append(day)
        day = add_months(day, 1)
    return months


def cube(appeals: QuerySet[Appeal]) -> list[dict[str, Any]]:
    """One scan of the appeals: counts per (month received, category, the enterprise's town),
    with the closed, open, overdue and supervised among them. Every appeal figure of the overview
    and the open data is summed from these groups (at most months × categories × towns)."""
    now = timezone.now()
    rows = (
        appeals.annotate(month=TruncMonth("received_at"))
        .values("month", "category_id", "enterprise__region_id")
        .annotate(
            n=Count("id"),
            closed=Count("id", filter=Q(stage=Stage.CLOSED)),
            open=Count("id", filter=Q(stage__in=OPEN_STAGES)),
            overdue=Count("id", filter=overdue_q(now)),
            supervised=Count("id", filter=Q(is_supervised=True)),
        )
        .order_by()
    )
    out = []
    for r in rows:
        month = r["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        out.append({**r, "month": month.replace(day=1), "town_id": r["enterprise__region_id"]})
    return out


def _sum(groups: Iterable[dict[str, Any]], key: str, *fields: str) -> dict[Any, dict[str, int]]:
    sums: dict[Any, dict[str, int]] = {}
    for g in groups:
        target = sums.setdefault(g[key], dict.fromkeys(fields, 0))
        for f in fields:
            target[f] += g[f]
    return sums


def _totals(groups: list[dict[str, Any]]) -> dict[str, int]:
    fields = ("n", "open", "closed", "overdue", "supervised")
    total = _sum(({**g, "all": 0} for g in groups), "all", *fields).get(0, dict.fromkeys(fields, 0))
    return {
        "received": total["n"],
        "open": total["open"],
        "closed": total["closed"],
        "overdue": total["overdue"],
        "supervised": total["supervised"],
    }


def _by_month(groups: list[dict[str, Any]], period: Period) -> list[dict[str, Any]]:
    found = _sum(groups, "month", "n", "closed")
    return [
        {
            "month": f"{m:%Y-%m}",
            "received": found.get(m, {}).get("n", 0),
            "closed": found.get(m, {}).get("closed", 0),
        }
        for m in _months(period)
    ]


def _by_category(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts = _sum(groups, "category_id", "n")
    categories = AppealCategory.objects.filter(pk__in=counts).order_by("sort_order", "code")
    rows = [{"code": c.code, "name": c.name, "count": counts[c.pk]["n"]} for c in categories]
    return sorted(rows, key=lambda r: -r["count"])  # stable: ties keep the categories' order


def _by_town(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Appeals by the town (镇街) of the enterprise; every active town is listed, even at 0."""
    counts = {pk: v["n"] for pk, v in _sum(groups, "town_id", "n").items()}
    towns = Department.objects.filter(kind=DepartmentKind.TOWN, is_active=True).order_by(
        "sort_order", "code"
    )
    rows = [
        {
            "code": t.code,
            "name": t.name,
            "count": counts.get(t.pk, 0),
            "latitude": float(t.latitude) if t.latitude is not None else None,
            "longitude": float(t.longitude) if t.longitude is not None else None,
        }
        for t in towns
    ]
    known = {t.pk for t in towns}
    other = sum(n for pk, n in counts.items() if pk not in known)
    if other:
        rows.append(
            {"code": "", "name": NO_TOWN, "count": other, "latitude": None, "longitude": None}
        )
    return rows


def department_rows(
    period: Period, departments: QuerySet[Department] | None = None
) -> list[dict[str, Any]]:
    """Per department: rounds dispatched to it in the period, answered within the statutory
    limit, still open past it, supervised cases, and its satisfaction. Two GROUP BY queries."""
    now = timezone.now()
    rounds = Assignment.objects.filter(
        dispatched_at__gte=period.start, dispatched_at__lt=period.end
    )
    per = {
        r["department"]: r
        for r in rounds.values("department")
        .annotate(
            rounds=Count("id"),
            on_time=Count("id", filter=Q(responded_on_time=True)),
            late_open=Count(
                "id",
                filter=Q(
                    responded_at__isnull=True, returned_at__isnull=True, respond_due_at__lt=now
                ),
            ),
            returned=Count("id", filter=Q(returned_at__isnull=False)),
            supervised=Count("appeal", filter=Q(appeal__is_supervised=True), distinct=True),
        )
        .order_by()
    }
    evals = {
        r["assignment__department"]: r
        for r in Evaluation.objects.filter(
            source=Evaluation.Source.FOLLOWUP,
            created_at__gte=period.start,
            created_at__lt=period.end,
            assignment__isnull=False,
        )
        .values("assignment__department")
        .annotate(
            n=Count("id"),
            ok=Count("id", filter=~Q(satisfaction=Satisfaction.UNSATISFIED)),
        )
        .order_by()
    }
    units = departments if departments is not None else Department.objects.filter(is_active=True)
    rows = []
    for d in units.order_by("sort_order", "code"):
        r = per.get(d.pk)
        e = evals.get(d.pk)
        if r is None and e is None:
            continue
        n = r["rounds"] if r else 0
        rows.append(
            {
                "code": d.code,
                "name": d.name,
                "rounds": n,
                "on_time": r["on_time"] if r else 0,
                "on_time_rate": round(r["on_time"] * 100 / n, 1) if r and n else None,
                "late_open": r["late_open"] if r else 0,
                "returned": r["returned"] if r else 0,
                "supervised": r["supervised"] if r else 0,
                "evaluations": e["n"] if e else 0,
                "satisfaction_rate": round(e["ok"] * 100 / e["n"], 1) if e and e["n"] else None,
            }
        )
    return rows


def pipeline_summary() -> list[dict[str, Any]]:
    """智慧招商: projects (leads) by stage, in the line's order. One GROUP BY."""
    from qifu.investment.models.pipeline import Lead
    from qifu.investment.models.pipeline import Stage as LeadStage

    counts = {
        r["stage"]: r["n"] for r in Lead.objects.values("stage").annotate(n=Count("id")).order_by()
    }
    return [
        {"stage": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in LeadStage
    ]


_REFRESH = {"on": False}


def _cached(key: str, compute: Any) -> Any:
    full = f"dashboards:v1:{key}"
    value = None if _REFRESH["on"] else cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, settings.DASHBOARD_CACHE_SECONDS)
    return value


def overview(period: Period) -> Overview:
    """The city overview for a period (appeals received in it; rounds dispatched in it)."""

    def compute() -> Overview:
        appeals = Appeal.objects.filter(received_at__gte=period.start, received_at__lt=period.end)
        rounds = Assignment.objects.filter(
            dispatched_at__gte=period.start, dispatched_at__lt=period.end
        )
        evaluations = Evaluation.objects.filter(
            source=Evaluation.Source.FOLLOWUP,
            created_at__gte=period.start,
            created_at__lt=period.end,
        )
        groups = cube(appeals)
        return Overview(
            period=period.label,
            totals=_totals(groups),
            by_month=_by_month(groups, period),
            by_category=_by_category(groups),
            by_town=_by_town(groups),
            satisfaction=_satisfaction(evaluations),
            times=_times(rounds, appeals),
            departments=department_rows(period),
            pipeline=pipeline_summary(),
        )

    return _cached(f"overview:{period.key}", compute)  # type: ignore[no-any-return]


@dataclass
class DepartmentFigures:
    row: dict[str, Any] | None
    satisfaction: dict[str, Any]
    times: dict[str, dict[str, Any]]


def department_figures(department: Department, period: Period) -> DepartmentFigures:
    def compute() -> DepartmentFigures:
        rounds = Assignment.objects.filter(
            department=department, dispatched_at__gte=period.start, dispatched_at__lt=period.end
        )
        appeals = Appeal.objects.filter(
            pk__in=rounds.values("appeal_id"),
            received_at__gte=period.start,
            received_at__lt=period.end,
        )
        evaluations = Evaluation.objects.filter(
            source=Evaluation.Source.FOLLOWUP,
            assignment__department=department,
            created_at__gte=period.start,
            created_at__lt=period.end,
        )
        rows = department_rows(period, Department.objects.filter(pk=department.pk))
        return DepartmentFigures(
            row=rows[0] if rows else None,
            satisfaction=_satisfaction(evaluations),
            times=_times(rounds, appeals),
        )

    return _cached(f"department:{department.pk}:{period.key}", compute)  # type: ignore[no-any-return]


def department_cases(department: Department) -> QuerySet[Appeal]:
    """The appeals ever dispatched to the department (what its own users may open)."""
    return (
        Appeal.objects.filter(
            pk__in=Assignment.objects.filter(department=department).values("appeal_id")
        )
        .select_related("department", "category", "enterprise")
        .order_by("-received_at", "-id")
    )


# --- open data ---------------------------------------------------------------------------------


OPEN_DATA_FIELDS = (
    ("month", "受理月份（YYYY-MM，北京时间）"),
    ("category_code", "诉求类别编码"),
    ("category", "诉求类别"),
    ("town_code", "企业所在镇街编码（未注明时为空）"),
    ("town", "企业所在镇街"),
    ("received", "当月受理的诉求件数"),
    ("closed", "其中截至发布时已办结的件数"),
)


def open_data_rows(period: Period) -> list[dict[str, Any]]:
    """Appeal counts by month, category and town: no names of enterprises or persons, no
    contents; counts below OPEN_DATA_MIN_COUNT are suppressed (None) so that no single
    enterprise's appeal can be singled out. One GROUP BY (`cube`) and two lookups of names."""

    def compute() -> list[dict[str, Any]]:
        k = settings.OPEN_DATA_MIN_COUNT
        groups = cube(
            Appeal.objects.filter(
                received_at__gte=period.start, received_at__lt=period.end, merged_into__isnull=True
            )
        )
        categories = {
            c.pk: c
            for c in AppealCategory.objects.filter(pk__in={g["category_id"] for g in groups})
        }
        towns = {t.pk: t for t in Department.objects.filter(pk__in={g["town_id"] for g in groups})}

        def suppress(n: int) -> int | None:
            return n if n >= k else None

        out = []
        for g in groups:
            category = categories[g["category_id"]]
            town = towns.get(g["town_id"])
            out.append(
                {
                    "month": f"{g['month']:%Y-%m}",
                    "category_code": category.code,
                    "category": category.name,
                    "town_code": town.code if town else "",
                    "town": town.name if town else NO_TOWN,
                    "received": suppress(g["n"]),
                    # Suppressed with the total: a small total must not be recoverable.
                    "closed": suppress(g["closed"]) if g["n"] >= k else None,
                }
            )
        out.sort(key=lambda r: (r["month"], r["category_code"], r["town_code"]))
        return out

    return _cached(f"open:{period.key}:{settings.OPEN_DATA_MIN_COUNT}", compute)  # type: ignore[no-any-return]


MAX_OPEN_DATA_MONTHS = 60


def _parse_month(text: str, name: str) -> dt.date:
    from django.core.exceptions import ValidationError

    try:
        year, month = (int(x) for x in text.strip().split("-"))
        if not 2000 <= year <= 2100:
            raise ValueError
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        raise ValidationError({name: "月份格式应为 YYYY-MM，例如 2026-09。"}) from None


def open_data_period(start: str | None, end: str | None, today: dt.date | None = None) -> Period:
    """Months `start`..`end` (YYYY-MM, both included); default the last 12 complete months.
    The current month is never published (its figures still move)."""
    from django.core.exceptions import ValidationError

    today = today or timezone.localdate()
    this_month = month_start(today)
    last = _parse_month(end, "to") if end else add_months(this_month, -1)
    first = _parse_month(start, "from") if start else add_months(last, -11)
    if last >= this_month:
        last = add_months(this_month, -1)
    if first > last:
        raise ValidationError({"from": "起始月份不能晚于结束月份（当月数据不发布）。"})
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_OPEN_DATA_MONTHS:
        raise ValidationError({"from": f"一次最多查询{MAX_OPEN_DATA_MONTHS}个月。"})
    return Period(first, add_months(last, 1), f"{first:%Y-%m} 至 {last:%Y-%m}")


def dashboards_warm() -> dict[str, int]:
    """The scheduled job: compute the default figures afresh into the cache (the overview of the
    last 12 months and the default open data), so that nobody waits for a large aggregation."""
    _REFRESH["on"] = True
    try:
        data = overview(period_for("12m"))
        rows = open_data_rows(open_data_period(None, None))
    finally:
        _REFRESH["on"] = False
    return {"appeals": data.totals["received"], "open_data_rows": len(rows)}
