from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from qifu.appeals.models import Appeal
from qifu.dashboards import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month_appeals(filed: Any, other_category: Any) -> Any:
    """Five of one category and three of another, received in the last complete month."""
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    days_ago = (today - first_of_month).days + 10
    many = filed(5, days_ago=days_ago, dispatch=False)
    few = filed(3, days_ago=days_ago, dispatch=False, category=other_category)
    Appeal.objects.filter(pk=many[0].pk).update(stage="closed")
    return many, few


def _month() -> str:
    return f"{selectors.add_months(timezone.localdate().replace(day=1), -1):%Y-%m}"


def test_json_suppresses_small_counts_and_leaks_nothing_personal(
    client: Any, last_month_appeals: Any
) -> None:
    many, _few = last_month_appeals
    response = client.get(reverse("dashboards:open_data_json"))
    assert response.status_code == 200
    data = response.json()
    assert data["min_count"] == 5
    rows = {(r["month"], r["category_code"]): r for r in data["rows"]}
    big = rows[(_month(), "ZC")]
    assert big["received"] == 5 and big["town"] == "俚岛镇"
    assert big["closed"] is None  # 1 < 5
    small = rows[(_month(), "GC")]
    assert small["received"] is None and small["closed"] is None
    assert set(big) == {n for n, _ in selectors.OPEN_DATA_FIELDS}
    text = response.content.decode()
    for secret in (many[0].title, many[0].enterprise.name, "13905310001", "张经理", many[0].number):
        assert secret not in text


def test_csv_marks_suppressed_cells(client: Any, last_month_appeals: Any) -> None:
    response = client.get(reverse("dashboards:open_data_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    by_cat = {r["category_code"]: r for r in rows}
    assert by_cat["ZC"]["received"] == "5" and by_cat["ZC"]["closed"] == "<5"
    assert by_cat["GC"]["received"] == "<5"
    assert "张经理" not in body and "13905310001" not in body


def test_min_count_is_configurable(client: Any, last_month_appeals: Any, settings: Any) -> None:
    settings.OPEN_DATA_MIN_COUNT = 3
    rows = client.get(reverse("dashboards:open_data_json")).json()["rows"]
    assert {r["category_code"]: r["received"] for r in rows}["GC"] == 3


def test_api_is_public_and_validates_months(client: Any, last_month_appeals: Any) -> None:
    response = client.get("/api/v1/open-data/appeals")
    assert response.status_code == 200
    assert response.json()["min_count"] == 5
    bad = client.get("/api/v1/open-data/appeals", {"from": "2026-13"})
    assert bad.status_code == 400
    assert "from" in bad.json()["detail"]
    assert client.get("/api/v1/open-data/appeals", {"to": "x" * 50}).status_code == 400
    reversed_ = client.get(
        reverse("dashboards:open_data_json"), {"from": "2026-06", "to": "2026-01"}
    )
    assert reversed_.status_code == 400
    nul = client.get(reverse("dashboards:open_data_csv"), {"from": "2026\x00-01"})
    assert nul.status_code == 400
    huge = client.get(reverse("dashboards:open_data_json"), {"from": "2001-01", "to": "2026-01"})
    assert huge.status_code == 400


def test_open_data_page_describes_fields(client: Any) -> None:
    html = client.get(reverse("dashboards:open_data")).content.decode()
    assert "category_code" in html and "&lt;5" in html and "/api/v1/open-data/appeals" in html


def test_current_month_is_never_published(client: Any, filed: Any) -> None:
    filed(6, days_ago=0, dispatch=False)
    this_month = f"{timezone.localdate():%Y-%m}"
    rows = client.get(reverse("dashboards:open_data_json"), {"to": this_month}).json()["rows"]
    assert all(r["month"] != this_month for r in rows)


def test_csv_cells_cannot_become_formulas(client: Any, last_month_appeals: Any) -> None:
    from qifu.appeals.models import AppealCategory

    AppealCategory.objects.filter(code="ZC").update(name="=HYPERLINK(1)")
    body = client.get(reverse("dashboards:open_data_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body
