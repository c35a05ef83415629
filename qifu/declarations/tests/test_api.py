from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from qifu.declarations.models import Application, ApplicationStatus, Call
from qifu.declarations.services import application_finalise_due
from qifu.declarations.tests.conftest import MATERIAL, SHANGHAI, pdf

pytestmark = pytest.mark.django_db
S = ApplicationStatus
BASE = "/api/v1/declarations"


def _create(api: Any, call: Call) -> dict[str, Any]:
    response = api.post(
        f"{BASE}/applications",
        {"call": call.pk, "project_name": "海洋食品精深加工生产线", "amount": "80.5"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data: dict[str, Any] = response.json()
    return data


def _upload(api: Any, application_id: int) -> Any:
    return api.post(
        f"{BASE}/applications/{application_id}/files", {"material": MATERIAL, "file": pdf()}
    )


def test_a_declaration_goes_from_call_to_publicity_through_the_api(
    call: Call,
    api_client_for: Any,
    client: Any,
    enterprise_user: Any,
    department_admin: Any,
    other_enterprise_user: Any,
) -> None:
    calls = client.get(f"{BASE}/calls").json()
    assert [c["id"] for c in calls] == [call.pk]
    detail = client.get(f"{BASE}/calls/{call.pk}").json()
    assert detail["required_materials"] == [MATERIAL]
    assert detail["criteria_text"]

    company = api_client_for(enterprise_user)
    assert company.get(f"{BASE}/calls/{call.pk}/eligibility").json()["eligible"] is True
    draft = _create(company, call)
    assert draft["status"] == "draft"
    refused = company.post(f"{BASE}/applications/{draft['id']}/submit")
    assert refused.status_code == 400
    assert _upload(company, draft["id"]).status_code == 200
    submitted = company.post(f"{BASE}/applications/{draft['id']}/submit").json()
    assert submitted["status"] == "submitted"
    assert submitted["accept_due_at"].endswith("+08:00")

    department = api_client_for(department_admin)
    listed = department.get(f"{BASE}/applications", {"call": call.pk}).json()
    assert [a["id"] for a in listed] == [draft["id"]]
    assert department.post(f"{BASE}/applications/{draft['id']}/accept").status_code == 200
    approved = department.post(
        f"{BASE}/applications/{draft['id']}/approve", content_type="application/json"
    )
    assert approved.json()["status"] == "approved"
    published = department.post(f"{BASE}/calls/{call.pk}/publish-results")
    assert published.json() == {"published": 1}

    publicity = client.get(f"{BASE}/publicity").json()
    assert publicity[0]["enterprise"] == enterprise_user.enterprise.name
    assert publicity[0]["amount"] == "80.50"

    objector = api_client_for(other_enterprise_user)
    objection = objector.post(
        f"{BASE}/publicity/{draft['id']}/objections",
        {"reason": "数据不实。"},
        content_type="application/json",
    )
    assert objection.status_code == 201
    answered = department.post(
        f"{BASE}/objections/{objection.json()['id']}/answer",
        {"upheld": False, "answer": "经核实，信息属实。"},
        content_type="application/json",
    )
    assert answered.json()["status"] == "dismissed"

    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert application_finalise_due() == 1
    final = company.get(f"{BASE}/applications/{draft['id']}").json()
    assert final["status"] == "final"
    assert [e["action"] for e in final["timeline"]] == [
        "draft",
        "submit",
        "accept",
        "approve",
        "publish",
        "object",
        "dismiss",
        "finalise",
    ]


def test_a_returned_application_is_resubmitted_through_the_api(
    submitted: Application, api_client_for: Any, enterprise_user: Any, department_admin: Any
) -> None:
    department = api_client_for(department_admin)
    no_reason = department.post(
        f"{BASE}/applications/{submitted.pk}/return",
        {"reason": ""},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    returned = department.post(
        f"{BASE}/applications/{submitted.pk}/return",
        {"reason": "请补充财务报表。"},
        content_type="application/json",
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["reason"] == "请补充财务报表。"
    company = api_client_for(enterprise_user)
    assert _upload(company, submitted.pk).status_code == 200
    again = company.post(f"{BASE}/applications/{submitted.pk}/submit")
    assert again.json()["status"] == "submitted"


def test_an_action_the_status_does_not_allow_is_a_conflict(
    submitted: Application, api_client_for: Any, department_admin: Any
) -> None:
    response = api_client_for(department_admin).post(
        f"{BASE}/applications/{submitted.pk}/approve", content_type="application/json"
    )
    assert response.status_code == 409
    assert "不能执行" in response.json()["detail"]


def test_submitting_outside_the_window_is_refused_by_the_api(
    now: Any, publish_call: Any, api_client_for: Any, enterprise_user: Any
) -> None:
    call = publish_call(opens_on=dt.date(2026, 12, 1), closes_on=dt.date(2026, 12, 31))
    company = api_client_for(enterprise_user)
    draft = _create(company, call)
    _upload(company, draft["id"])
    response = company.post(f"{BASE}/applications/{draft['id']}/submit")
    assert response.status_code == 400
    assert "不在申报期内" in str(response.json()["detail"])


def test_an_ineligible_enterprise_is_told_why_by_the_api(
    now: Any, publish_call: Any, api_client_for: Any, enterprise_user: Any
) -> None:
    call = publish_call(criteria={"qualifications_any": ["little_giant"]})
    company = api_client_for(enterprise_user)
    verdict = company.get(f"{BASE}/calls/{call.pk}/eligibility").json()
    assert verdict["eligible"] is False
    assert verdict["unmet"]
    draft = _create(company, call)
    _upload(company, draft["id"])
    response = company.post(f"{BASE}/applications/{draft['id']}/submit")
    assert response.status_code == 400
    assert "不符合申报条件" in str(response.json()["detail"])


def test_the_api_refuses_who_may_not_see_or_act(
    submitted: Application,
    client: Any,
    api_client_for: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    other_department_admin: Any,
) -> None:
    url = f"{BASE}/applications/{submitted.pk}"
    assert client.get(url).status_code == 401
    assert api_client_for(other_enterprise_user).get(url).status_code == 404
    other_department = api_client_for(other_department_admin)
    assert other_department.get(url).status_code == 404
    assert other_department.post(f"{url}/accept").status_code == 404
    assert other_department.get(f"{BASE}/applications").json() == []
    assert api_client_for(enterprise_user).post(f"{url}/accept").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_an_enterprise_lists_only_its_own_applications(
    submitted: Application, api_client_for: Any, other_enterprise_user: Any
) -> None:
    other = api_client_for(other_enterprise_user)
    assert other.get(f"{BASE}/applications").json() == []
    mine = _create(other, submitted.call)
    assert [a["id"] for a in other.get(f"{BASE}/applications").json()] == [mine["id"]]
