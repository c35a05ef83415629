"""Open data (开放数据): public appeal statistics, small counts suppressed, no personal data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

router = Router(tags=["开放数据"], auth=None)


class OpenDataQuery(Schema):
    from_: str | None = Field(None, alias="from", description="起始月份 YYYY-MM", max_length=7)
    to: str | None = Field(None, description="结束月份 YYYY-MM（含）", max_length=7)


@router.get("/appeals", summary="企业诉求统计（按月份、类别、镇街）")
def open_data_appeals(request: HttpRequest, filters: Query[OpenDataQuery]) -> dict[str, Any]:
    """Counts by month, category and town; a count below `min_count` is null. The same
    document as /dashboards/open-data/appeals.json."""
    from qifu.dashboards.views import open_data_payload

    return open_data_payload(filters.from_, filters.to)
