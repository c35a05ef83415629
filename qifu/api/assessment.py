"""监督考核 API (docs/api.md "Assessment"): the ranking of a period."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from qifu.assessment import selectors
from qifu.assessment.periods import PeriodError

router = Router(tags=["监督考核"])


class DepartmentOut(Schema):
    code: str
    name: str
    kind: str


class MeasureOut(Schema):
    code: str
    name: str
    value: float | None
    count: int
    deduction: float


class RowOut(Schema):
    department: DepartmentOut
    score: float
    rank: int
    measures: list[MeasureOut]
    below_floor: list[str]


class MethodOut(Schema):
    version: int
    data: dict[str, Any]
    description: list[list[str]]


class RankingOut(Schema):
    period: str
    label: str
    published: bool
    published_at: str | None
    method: MethodOut
    departments: list[RowOut]


@router.get("/ranking", response=RankingOut, summary="考核排名")
def ranking(request: HttpRequest, period: str = "") -> dict[str, Any]:
    """`period`: `YYYY-MM`, `YYYY-Qn` or `YYYY` (default: the last complete month). The ranking
    as published when the period is, otherwise computed now from the records with the method in
    force. Government staff read it; enterprises and others get 403."""
    if not selectors.can_view_ranking(request.user):
        raise PermissionDenied("考核排名仅限政府工作人员查看。")
    if len(period) > 10 or "\x00" in period:
        raise HttpError(400, "考核周期格式不正确，应为 YYYY-MM、YYYY-Qn 或 YYYY。")
    try:
        if not period:
            from qifu.assessment.periods import previous_month

            period = previous_month().key
        table = selectors.ranking_table(period)
    except PeriodError as exc:
        return _bad_period(str(exc))
    return {
        "period": table.period.key,
        "label": table.period.label,
        "published": table.is_published,
        "published_at": table.published.published_at.isoformat() if table.published else None,
        "method": {
            "version": table.method_version,
            "data": table.method,
            "description": [list(line) for line in table.method_lines],
        },
        "departments": _visible(request.user, table.rows),
    }


def _visible(user: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A department's own user reads every score and rank but only its own breakdown."""
    if selectors.can_view_all(user):
        return rows
    own = user.department.code if user.department_id else None
    return [
        row if row["department"]["code"] == own else {**row, "measures": [], "below_floor": []}
        for row in rows
    ]


def _bad_period(message: str) -> Any:
    from django.core.exceptions import ValidationError

    raise ValidationError({"period": [message]})
