from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine

from qifu.projects.models import ItemStatus, Project
from qifu.projects.tests.conftest import TZ

pytestmark = pytest.mark.django_db

URL = "/api/v1/projects"


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=TZ), tick=False):
        yield


def _post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_the_steward_lists_their_projects_with_plan_and_prediction(
    api_client_for: Any, project: Project, steward: Any
) -> None:
    body = api_client_for(steward).get(URL).json()

    assert body["count"] == 1
    row = body["items"][0]
    assert row["name"] == project.name
    assert row["current_stage"] == "approval"
    assert row["planned_completion_on"] == project.planned_completion_on.isoformat()  # type: ignore[union-attr]
    assert row["slip_working_days"] > 0  # nothing done since September


def test_another_enterprise_sees_nothing(
    api_client_for: Any, project: Project, other_enterprise_user: Any
) -> None:
    client = api_client_for(other_enterprise_user)

    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}/{project.pk}").status_code == 404


def test_the_detail_has_items_stages_and_the_public_timeline(
    api_client_for: Any, project: Project, enterprise_user: Any
) -> None:
    body = api_client_for(enterprise_user).get(f"{URL}/{project.pk}").json()

    assert [s["stage"] for s in body["stages"]] == [
        "approval",
        "land",
        "planning",
        "construction",
        "acceptance",
    ]
    assert len(body["items"]) == 10
    assert {"planned_end_on", "actual_end_on", "predicted_end_on"} <= set(body["items"][0])
    assert body["timeline"][0]["action"] == "create"


def test_platform_staff_create_a_project(
    api_client_for: Any, templates: None, platform_staff: Any, enterprise: Any, steward: Any
) -> None:
    response = _post(
        api_client_for(platform_staff),
        URL,
        {
            "enterprise": enterprise.credit_code,
            "name": "房车生产线技术改造项目",
            "total_investment": "9800",
            "planned_start_on": "2026-12-01",
            "steward": steward.username,
        },
    )

    assert response.status_code == 201
    assert response.json()["steward"] == steward.username


def test_an_enterprise_cannot_create_a_project(
    api_client_for: Any, templates: None, enterprise_user: Any, enterprise: Any
) -> None:
    response = _post(
        api_client_for(enterprise_user),
        URL,
        {
            "enterprise": enterprise.credit_code,
            "name": "x",
            "total_investment": "1",
            "planned_start_on": "2026-12-01",
        },
    )

    assert response.status_code == 403


def test_creation_errors_come_field_by_field(
    api_client_for: Any, templates: None, platform_staff: Any, enterprise: Any
) -> None:
    response = _post(
        api_client_for(platform_staff),
        URL,
        {
            "enterprise": enterprise.credit_code,
            "name": "x",
            "code": "bad",
            "total_investment": "1",
            "planned_start_on": "2026-12-01",
        },
    )

    assert response.status_code == 400
    assert "code" in response.json()["detail"]


def test_the_steward_completes_an_item_and_a_repeat_is_409(
    api_client_for: Any, project: Project, steward: Any
) -> None:
    item = project.items.get(code="record")
    client = api_client_for(steward)
    url = f"{URL}/{project.pk}/items/{item.pk}/complete"

    done = _post(client, url, {"on": "2026-09-01"})
    repeat = _post(client, url, {"on": "2026-09-01"})

    assert done.status_code == 200
    assert done.json()["items"][0]["status"] == "done"
    assert repeat.status_code == 409


def test_an_enterprise_cannot_act_on_items(
    api_client_for: Any, project: Project, enterprise_user: Any
) -> None:
    item = project.items.get(code="record")

    response = _post(api_client_for(enterprise_user), f"{URL}/{project.pk}/items/{item.pk}/start")

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED


def test_replan_needs_its_dates_and_unknown_actions_are_404(
    api_client_for: Any, project: Project, steward: Any
) -> None:
    item = project.items.get(code="record")
    client = api_client_for(steward)

    missing = _post(client, f"{URL}/{project.pk}/items/{item.pk}/replan", {"reason": "x"})
    unknown = _post(client, f"{URL}/{project.pk}/items/{item.pk}/delete")
    waived = _post(client, f"{URL}/{project.pk}/items/{item.pk}/waive", {"reason": "已核准"})

    assert missing.status_code == 400
    assert set(missing.json()["detail"]) == {"planned_start_on", "planned_end_on"}
    assert unknown.status_code == 404
    assert waived.status_code == 200


def test_anonymous_callers_get_401(client: Any, project: Project) -> None:
    assert client.get(URL).status_code == 401
