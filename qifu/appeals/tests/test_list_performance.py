"""The lists' queries at volume: the plan uses an index rather than sorting the whole table
(SQLite here; docs/scaling.md has the PostgreSQL plans). No timings: plans and query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import F

from qifu.appeals.models import Appeal, Stage
from qifu.appeals.tests.pages import dispatched

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


@pytest.fixture
def fresh_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("fresh_cache")
def test_stage_counts_and_the_total_are_cached_and_dropped_when_an_appeal_changes(
    client_for: Any, platform_staff: Any, make_appeal: Any, department: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qifu.appeals.selectors import stage_counts

    make_appeal()
    client = client_for(platform_staff)
    client.get("/appeals/manage/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/appeals/manage/")
    sql = " ".join(q["sql"] for q in queries.captured_queries if "appeals_appeal" in q["sql"])
    assert "GROUP BY" not in sql and "COUNT(" not in sql  # both from the cache
    assert "统计于" in response.content.decode()
    assert stage_counts(user=platform_staff)[Stage.RECEIVED] == 1

    second = make_appeal(title="第二件诉求的标题")  # a new appeal drops the cached counts
    assert stage_counts(user=platform_staff)[Stage.RECEIVED] == 2
    response = client.get("/appeals/manage/")
    assert response.context["page"].paginator.count == 2
    dispatched(second, platform_staff, department)  # so does a change of stage
    counts = stage_counts(user=platform_staff)
    assert counts[Stage.RECEIVED] == 1 and counts[Stage.DISPATCHED] == 1


@pytest.mark.usefixtures("fresh_cache")
def test_the_api_lists_total_is_cached_per_scope(
    api_client_for: Any, platform_staff: Any, enterprise_user: Any, make_appeal: Any
) -> None:
    make_appeal()
    staff = api_client_for(platform_staff)
    assert staff.get("/api/v1/appeals").json()["count"] == 1
    make_appeal(title="第二件诉求的标题")
    assert staff.get("/api/v1/appeals").json()["count"] == 2
    assert api_client_for(enterprise_user).get("/api/v1/appeals").json()["count"] == 2
