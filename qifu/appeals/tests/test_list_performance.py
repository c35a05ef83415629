"""The lists' queries at volume: the plan uses an index rather than sorting the whole table
(SQLite here; docs/scaling.md has the PostgreSQL plans). No timings: plans and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F

from qifu.appeals.models import Appeal, Stage

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan text"),
]


def _plan(qs: Any) -> str:
    return str(qs.explain())


def _by_due(qs: Any) -> Any:
    return qs.order_by(F("due_at").asc(nulls_last=True), "id")[:20]


def test_the_open_appeals_by_deadline_read_the_partial_index_without_a_sort() -> None:
    plan = _plan(_by_due(Appeal.objects.exclude(stage=Stage.CLOSED)))
    assert "appeal_open_due_idx" in plan and "TEMP B-TREE" not in plan


def test_a_stage_tab_by_deadline_reads_the_stage_index_without_a_sort() -> None:
    plan = _plan(_by_due(Appeal.objects.filter(stage=Stage.CLOSED)))
    assert "appeal_stage_due_idx" in plan and "TEMP B-TREE" not in plan


def test_the_focus_on_open_appeals_is_written_as_the_partial_index_reads(
    client_for: Any, platform_staff: Any, make_appeal: Any
) -> None:
    make_appeal()
    response = client_for(platform_staff).get("/appeals/manage/", {"focus": "open"})
    assert response.status_code == 200 and len(response.context["rows"]) == 1
