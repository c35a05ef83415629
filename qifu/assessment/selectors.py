"""Reading the assessment: the method in force, a period's figures, the ranking, the cases.

The one entry other apps call is `ranking(period_str)` (e.g. the supervision board and the leader
dashboards); `ranking_table(period_str)` returns the same rows with the period, the method and
whether the period is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from qifu.accounts.models import Department, Role
from qifu.assessment.measures import BY_CODE, MEASURES, Case, Context, collect, collect_all
from qifu.assessment.method import DEFAULT_METHOD, describe, score
from qifu.assessment.models import MethodStatus, MethodVersion, PublishedPeriod
from qifu.assessment.periods import Period, parse_period


def active_method() -> tuple[int, dict[str, Any]]:
    """The latest approved method version and its data; version 0 is the built-in default."""
    latest = (
        MethodVersion.objects.filter(status=MethodStatus.APPROVED)
        .order_by("-version")
        .values_list("version", "data")
        .first()
    )
    if latest is None:
        return 0, dict(DEFAULT_METHOD)
    return int(latest[0]), dict(latest[1])


def context(period: Period, method: dict[str, Any], now: Any = None) -> Context:
    return Context(
        period=period,
        start=period.start,
        end=period.effective_end(now),
        params={"min_response_chars": method.get("min_response_chars", 0)},
    )


def compute_rows(
    period: Period, method_version: int, method: dict[str, Any], now: Any = None
) -> list[dict[str, Any]]:
    """The ranking computed now from the raw records, scored by the given method.

    A department is ranked when any measure has a case for it in the period."""
    cases = collect_all(context(period, method, now))
    department_ids = {d for by_department in cases.values() for d in by_department}
    departments = Department.objects.in_bulk(department_ids)
    rows: list[dict[str, Any]] = []
    for department_id, department in departments.items():
        figures: dict[str, dict[str, Any]] = {}
        for measure in MEASURES:
            found = cases[measure.code].get(department_id, [])
            figures[measure.code] = {"value": measure.value(found), "count": len(found)}
        result = score(method, figures)
        rows.append(
            {
                "department": {
                    "code": department.code,
                    "name": department.name,
                    "kind": department.kind,
                },
                "score": result["score"],
                "rank": 0,
                "measures": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "value": figures[m.code]["value"],
                        "count": figures[m.code]["count"],
                        "deduction": result["deductions"].get(m.code, 0.0),
                    }
                    for m in MEASURES
                ],
                "below_floor": result["below_floor"],
                "method": method_version,
                "_order": (department.sort_order, department.code),
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["_order"]))
    previous: float | None = None
    for position, row in enumerate(rows, start=1):
        row.pop("_order")
        row["rank"] = rows[position - 2]["rank"] if row["score"] == previous else position
        previous = row["score"]
    return rows


@dataclass
class RankingTable:
    period: Period
    method_version: int
    method: dict[str, Any]
    rows: list[dict[str, Any]]
    published: PublishedPeriod | None = None
    method_lines: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_published(self) -> bool:
        return self.published is not None


def ranking_table(period_str: str) -> RankingTable:
    """The ranking of a period: as published (its stored figures and method version), or else
    computed now with the method in force. Raises PeriodError for a bad period."""
    period = parse_period(period_str)
    published = PublishedPeriod.objects.filter(period=period.key).first()
    if published is not None:
        return RankingTable(
            period=period,
            method_version=published.method_version,
            method=published.method_data,
            rows=published.rows,
            published=published,
            method_lines=describe(published.method_data),
        )
    version, method = active_method()
    return RankingTable(
        period=period,
        method_version=version,
        method=method,
        rows=compute_rows(period, version, method),
        method_lines=describe(method),
    )


def ranking(period_str: str) -> list[dict[str, Any]]:
    """The ranking rows of a period (`YYYY-MM`, `YYYY-Qn` or `YYYY`), best first.

    Each row: `department` {code, name, kind}; `score` (float, 0–base); `rank` (1 = best, equal
    scores share a rank); `measures` — one {code, name, value, count, deduction} per measure of
    `qifu.assessment.measures.MEASURES` (value: a count, a percentage 0–100 with one decimal, or
    a mean score; None when nothing was rated; count: the cases behind it); `below_floor` (codes
    of rates under the method's floors); `method` (the method version that scored it).

    A published period returns its figures as published (never rewritten by a later method);
    another period is computed now from the records with the method in force. Raises
    `qifu.assessment.periods.PeriodError` (a ValueError with a Chinese message) for a bad period.
    """
    return ranking_table(period_str).rows


def department_cases(period: Period, department: Department, code: str) -> list[Case]:
    """The cases behind one department's figure, computed now (the same collector as the figure)."""
    measure = BY_CODE[code]
    _version, method = _method_for(period)
    return collect(measure, context(period, method)).get(department.pk, [])


def department_figures(period: Period, department: Department) -> dict[str, list[Case]]:
    """Every measure's cases for one department, computed now."""
    _version, method = _method_for(period)
    ctx = context(period, method)
    return {m.code: collect(m, ctx).get(department.pk, []) for m in MEASURES}


def _method_for(period: Period) -> tuple[int, dict[str, Any]]:
    published = PublishedPeriod.objects.filter(period=period.key).first()
    if published is not None:
        return published.method_version, published.method_data
    return active_method()


# --- who may read what ----------------------------------------------------------------------


def is_assessor(user: Any) -> bool:
    """The assessment administrator (考核管理员), or the superuser."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.has_role(Role.ASSESSOR))
    )


def can_view_all(user: Any) -> bool:
    """Every department's breakdown and cases: assessment administrators, supervisors (督查领导)
    and platform staff."""
    return bool(
        getattr(user, "is_authenticated", False)
        and (
            user.is_superuser or user.has_role(Role.ASSESSOR, Role.SUPERVISOR, Role.PLATFORM_STAFF)
        )
    )


def can_view_ranking(user: Any) -> bool:
    """The ranking: those who see all, and government staff (their own breakdown only)."""
    return can_view_all(user) or bool(
        getattr(user, "is_authenticated", False) and user.is_government
    )


def can_view_department(user: Any, department: Department) -> bool:
    return can_view_all(user) or bool(
        getattr(user, "is_authenticated", False)
        and user.is_government
        and user.department_id == department.pk
    )
