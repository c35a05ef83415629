from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qifu.matters.models import MatterApplication, Status
from qifu.matters.tests.conftest import make_matter, pdf

pytestmark = pytest.mark.django_db
BASE = "/api/v1/matters"
JSON = "application/json"


def _create(api: Any, matter: Any) -> dict[str, Any]:
    response = api.post(
        f"{BASE}/applications",
        {"matter": matter.code, "contact_name": "张三", "contact_phone": "139"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_catalogue_is_public_and_searchable(department: Any) -> None:
    make_matter(department, code="SP-001", name="食品生产许可", conditions="")
    make_matter(department, code="PW-001", name="排污许可证核发", conditions="")

    response = Client().get(BASE, {"q": "排污"})

    assert response.status_code == 200
    assert [m["code"] for m in response.json()["items"]] == ["PW-001"]
    guide = Client().get(f"{BASE}/PW-001").json()
    assert guide["materials"] == ["食品生产许可申请书", "生产场所平面图"]


def test_the_whole_path_through_the_api(
    api_client_for: Any, enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    company = api_client_for(enterprise_user)
    created = _create(company, matter)
    assert created["status"] == "draft"
    pk = created["id"]

    response = company.post(f"{BASE}/applications/{pk}/submit", content_type=JSON)
    assert response.status_code == 400  # the guide lists materials and none were uploaded

    response = company.post(f"{BASE}/applications/{pk}/materials", {"files": [pdf()]})
    assert response.status_code == 200, response.content
    assert response.json()["materials"] == ["申请书.pdf"]
    assert (
        company.post(f"{BASE}/applications/{pk}/submit", content_type=JSON).json()["status"]
        == "submitted"
    )

    handler = api_client_for(department_admin)
    response = handler.post(
        f"{BASE}/applications/{pk}/supplement",
        {"reason": "补充平面图"},
        content_type="application/json",
    )
    assert response.json()["status"] == "supplement"
    assert (
        company.post(f"{BASE}/applications/{pk}/submit", content_type=JSON).json()["status"]
        == "submitted"
    )
    assert (
        handler.post(f"{BASE}/applications/{pk}/accept", content_type=JSON).json()["status"]
        == "accepted"
    )
    body = handler.post(f"{BASE}/applications/{pk}/approve", content_type=JSON).json()

    assert body["status"] == "approved"
    assert body["licence"]["name"] == "食品生产许可证"
    assert [e["action"] for e in body["timeline"]] == [
        "create",
        "submit",
        "supplement",
        "resubmit",
        "accept",
        "approve",
        "licence",
    ]


def test_an_action_the_status_forbids_is_409(
    api_client_for: Any, enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    pk = _create(api_client_for(enterprise_user), matter)["id"]
    response = api_client_for(department_admin).post(
        f"{BASE}/applications/{pk}/accept", content_type=JSON
    )
    assert response.status_code == 404  # a draft is not yet visible to the department
    MatterApplication.objects.filter(pk=pk).update(status=Status.SUBMITTED)
    response = api_client_for(department_admin).post(
        f"{BASE}/applications/{pk}/approve", content_type=JSON
    )
    assert response.status_code == 409


def test_anonymous_api_calls_are_401(matter: Any) -> None:
    response = Client().post(
        f"{BASE}/applications", {"matter": matter.code}, content_type="application/json"
    )
    assert response.status_code == 401
    assert Client().get(f"{BASE}/applications/1").status_code == 401


def test_other_enterprise_and_other_department_get_404(
    api_client_for: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    other_department_admin: Any,
    matter: Any,
) -> None:
    pk = _create(api_client_for(enterprise_user), matter)["id"]
    MatterApplication.objects.filter(pk=pk).update(status=Status.SUBMITTED)
    assert api_client_for(other_enterprise_user).get(f"{BASE}/applications/{pk}").status_code == 404
    other = api_client_for(other_department_admin)
    assert other.post(f"{BASE}/applications/{pk}/accept", content_type=JSON).status_code == 404


def test_enterprise_cannot_take_department_actions(
    api_client_for: Any, enterprise_user: Any, matter: Any
) -> None:
    company = api_client_for(enterprise_user)
    pk = _create(company, matter)["id"]
    MatterApplication.objects.filter(pk=pk).update(status=Status.SUBMITTED)
    assert company.post(f"{BASE}/applications/{pk}/accept", content_type=JSON).status_code == 403


def test_unknown_matter_is_a_field_error(api_client_for: Any, enterprise_user: Any) -> None:
    response = api_client_for(enterprise_user).post(
        f"{BASE}/applications",
        {"matter": "NOPE", "contact_name": "张三", "contact_phone": "139"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "matter" in response.json()["detail"]
