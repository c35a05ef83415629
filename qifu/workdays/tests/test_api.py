from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

URL = "/api/v1/calendar/deadline"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    # The anonymous rate limit counts in the cache, which outlives a test.
    cache.clear()


@pytest.mark.django_db
def test_deadline_answers_anyone_with_due_at_in_beijing_time() -> None:
    response = Client().get(URL, {"start": "2026-09-30T10:00:00+08:00", "working_days": "3"})

    assert response.status_code == 200
    assert response.json() == {
        "due_at": "2026-10-10T17:00:00+08:00",
        "calendar_warning": None,
        "provisional": False,
    }


@pytest.mark.django_db
def test_zero_working_days_is_the_same_day_dispatch_rule() -> None:
    client = Client()

    before = client.get(URL, {"start": "2026-03-10T16:59:00+08:00", "working_days": "0"})
    after = client.get(URL, {"start": "2026-03-10T09:00:00Z", "working_days": "0"})

    assert before.json()["due_at"] == "2026-03-10T17:00:00+08:00"
    assert after.json()["due_at"] == "2026-03-11T17:00:00+08:00"  # 17:00 in Beijing


@pytest.mark.django_db
def test_a_start_without_offset_is_read_as_beijing_time() -> None:
    response = Client().get(URL, {"start": "2026-03-10T16:30", "working_days": "0"})

    assert response.json()["due_at"] == "2026-03-10T17:00:00+08:00"


@pytest.mark.django_db
def test_a_year_without_data_counts_its_statutory_holidays_and_is_provisional() -> None:
    response = Client().get(URL, {"start": "2026-12-31T10:00:00+08:00", "working_days": "1"})

    assert response.status_code == 200
    body = response.json()
    # 元旦 2027 (Friday) is a statutory day off, then the weekend.
    assert body["due_at"] == "2027-01-04T17:00:00+08:00"
    assert body["provisional"] is True
    assert body["calendar_warning"].startswith("2027年的国务院放假安排尚未导入")
    assert "暂定" in body["calendar_warning"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "yesterday", "working_days": "1"}, "start", "时间格式不正确"),
        ({"start": "2026-02-30T10:00:00", "working_days": "1"}, "start", "时间格式不正确"),
        ({"start": "2026-03-10T10:00:00+08:00", "working_days": "-1"}, "working_days", "负数"),
        ({"start": "2026-03-10T10:00:00+08:00", "working_days": "x"}, "working_days", "整数"),
        ({"start": "2026-03-10T10:00:00+08:00", "working_days": "9999"}, "working_days", "超过"),
        ({"working_days": "1"}, "start", "必填"),
    ],
)
def test_bad_input_is_refused_field_by_field_in_chinese(
    params: dict[str, str], field: str, message: str
) -> None:
    response = Client().get(URL, params)

    assert response.status_code == 400
    detail = response.json()["detail"]
    assert list(detail) == [field]
    assert message in detail[field][0]


@pytest.mark.django_db
def test_both_fields_are_reported_at_once() -> None:
    response = Client().get(URL, {"start": "no", "working_days": "-2"})

    assert response.status_code == 400
    assert set(response.json()["detail"]) == {"start", "working_days"}


@pytest.mark.django_db
def test_a_signed_in_client_gets_the_same_answer(api_client_for: Any, enterprise_user: Any) -> None:
    response = api_client_for(enterprise_user).get(
        URL, {"start": "2025-12-31T10:00:00+08:00", "working_days": "1"}
    )

    assert response.json()["due_at"] == "2026-01-04T17:00:00+08:00"


@pytest.mark.django_db
def test_the_endpoint_is_in_the_openapi_schema() -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    assert "/api/v1/calendar/deadline" in schema["paths"]
