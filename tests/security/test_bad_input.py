"""Bad input answers 400 (API: field by field) or a form error, never a 500 (issue 17).

NUL and other control characters, lone surrogates in JSON, impossible dates and over-long
usernames, on the API, Open311 and the pages. Run on SQLite and PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from qifu.appeals.models import AppealCategory

pytestmark = pytest.mark.django_db


def _detail(response: Any) -> Any:
    return response.json()["detail"]


@pytest.fixture
def category(agency: Any) -> AppealCategory:
    return AppealCategory.objects.create(code="other", name="其他", default_department=agency)


def test_nul_in_an_api_query_string_is_a_400_naming_the_field() -> None:
    response = Client().get("/api/v1/matters?q=%00")
    assert response.status_code == 400
    assert "q" in _detail(response)


@pytest.mark.parametrize("value", ["a\x00b", "a\x01b", "a\x1bb", "\x7f"])
def test_control_characters_in_a_json_body_are_a_400_naming_the_field(value: str) -> None:
    response = Client().post(
        "/api/v1/assistant/ask", {"question": value}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "question" in _detail(response)
    assert "字符" in _detail(response)["question"][0]


def test_tab_and_newline_are_allowed_in_json_bodies() -> None:
    response = Client().post(
        "/api/v1/assistant/ask",
        {"question": "如何\t办理\r\n营业执照"},
        content_type="application/json",
    )
    assert response.status_code == 200


def test_a_lone_surrogate_in_a_json_body_is_a_400(
    enterprise_user: Any, api_client_for: Any, category: Any
) -> None:
    body = '{"category": "other", "title": "\\ud800", "content": "内容"}'
    response = api_client_for(enterprise_user).post(
        "/api/v1/appeals", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "title" in _detail(response)


def test_nul_in_an_appeal_title_is_a_400(
    enterprise_user: Any, api_client_for: Any, category: Any
) -> None:
    response = api_client_for(enterprise_user).post(
        "/api/v1/appeals",
        {"category": "other", "title": "标题\x00", "content": "内容"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "title" in _detail(response)


def test_nested_json_fields_are_named_by_their_path(
    enterprise_user: Any, api_client_for: Any
) -> None:
    response = api_client_for(enterprise_user).post(
        "/api/v1/workspace/requests",
        {"kind": "x", "title": "t", "description": "d", "extra": [{"name": "\x02"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "extra.0.name" in _detail(response)


def test_nul_in_a_policy_match_query_is_a_400(enterprise_user: Any, api_client_for: Any) -> None:
    response = api_client_for(enterprise_user).get("/api/v1/policies/matches?enterprise=%00")
    assert response.status_code == 400
    assert "enterprise" in _detail(response)


def test_nul_in_the_workspace_api_is_a_400(enterprise_user: Any, api_client_for: Any) -> None:
    response = api_client_for(enterprise_user).get("/api/v1/workspace?enterprise=a%00")
    assert response.status_code == 400


def test_an_impossible_date_on_the_workspace_timeline_api_is_a_400_naming_the_field(
    enterprise_user: Any, api_client_for: Any
) -> None:
    response = api_client_for(enterprise_user).get(
        "/api/v1/workspace/timeline?before=2026-02-30T10:00:00"
    )
    assert response.status_code == 400
    assert "before" in _detail(response)
    assert "日期" in _detail(response)["before"][0]


def test_an_impossible_date_on_the_workspace_timeline_page_is_not_a_500(
    enterprise_user: Any, client_for: Any
) -> None:
    response = client_for(enterprise_user).get("/workspace/timeline/?before=2026-02-30T10:00:00")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("param", ["start_date", "end_date"])
def test_an_impossible_date_on_open311_requests_is_a_400(param: str) -> None:
    response = Client().get(f"/open311/v2/requests.json?{param}=2026-02-30")
    assert response.status_code == 400
    assert param in response.json()[0]["description"]


def test_nul_in_an_open311_post_is_a_400(category: Any) -> None:
    response = Client().post(
        "/open311/v2/requests.json",
        {"service_code": "other", "description": "坏\x00字符", "api_key": "x"},
    )
    assert response.status_code == 400
    assert "description" in response.json()[0]["description"]


def test_nul_in_an_open311_json_post_is_a_400(category: Any) -> None:
    response = Client().post(
        "/open311/v2/requests.json",
        json.dumps({"service_code": "other", "description": "\ud800"}),
        content_type="application/json",
    )
    assert response.status_code == 400


@pytest.mark.parametrize("axes", [False, True])
def test_a_256_character_username_on_token_login_is_a_400(settings: Any, axes: bool) -> None:
    settings.AXES_ENABLED = axes
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "u" * 256, "password": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "username" in _detail(response)


def test_a_256_character_username_on_the_login_page_is_a_form_error(settings: Any) -> None:
    settings.AXES_ENABLED = True
    response = Client().post("/accounts/login/", {"username": "u" * 256, "password": "x"})
    assert response.status_code == 200
    assert "150" in response.content.decode()


def test_a_256_character_username_on_the_admin_login_is_refused_without_a_500(
    settings: Any,
) -> None:
    """Django's admin form does not check the length; axes records the attempt, cut to 150."""
    from axes.models import AccessAttempt

    settings.AXES_ENABLED = True
    response = Client().post("/admin/login/", {"username": "u" * 256, "password": "x"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "u" * 150


def test_a_control_character_in_a_form_is_an_error_next_to_the_field(
    enterprise_user: Any, client_for: Any, category: Any
) -> None:
    client = client_for(enterprise_user)
    response = client.post(
        "/appeals/new/",
        {"category": category.pk, "title": "标题\x01", "content": "内容"},
    )
    assert response.status_code in (200, 400)
    assert "控制字符" in response.content.decode()
