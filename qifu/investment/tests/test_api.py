"""The investment API of docs/api.md: projects, their timeline, advancing with 409, registration."""

from __future__ import annotations

import json
from typing import Any

import pytest

from qifu.accounts.models import Enterprise, Role
from qifu.accounts.validators import build_credit_code
from qifu.investment.models import Lead
from qifu.investment.tests.personas import _user
from qifu.workspace.models import MemberInvitation

pytestmark = pytest.mark.django_db


def post(client: Any, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_staff_list_and_read_projects_with_their_timeline(
    api_client_for: Any, officer: Any, lead: Lead, django_assert_max_num_queries: Any
) -> None:
    client = api_client_for(officer)
    with django_assert_max_num_queries(12):
        page = client.get("/api/v1/investment/projects?stage=lead").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert {"id", "reference", "company", "stage", "owner", "next_due_at", "timeline"} <= set(item)
    assert item["stage"] == "lead" and item["owner"] == "zhaoshang_t"
    assert item["timeline"][0]["action"] == "create"
    detail = client.get(f"/api/v1/investment/projects/{lead.pk}").json()
    assert detail["reference"] == lead.reference and len(detail["nodes"]) == 8
    assert client.get("/api/v1/investment/projects?stage=contact").json()["count"] == 0
    assert client.get("/api/v1/investment/projects?stage=nonsense").status_code == 400


def test_advance_moves_one_node_on_and_409_otherwise(
    api_client_for: Any, officer: Any, lead: Lead
) -> None:
    client = api_client_for(officer)
    moved = post(
        client,
        f"/api/v1/investment/projects/{lead.pk}/advance",
        {"stage": "contact", "note": "电话联系"},
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "contact"
    assert moved.json()["first_contact_at"] is not None
    skipped = post(client, f"/api/v1/investment/projects/{lead.pk}/advance", {"stage": "signed"})
    assert skipped.status_code == 409
    again = post(client, f"/api/v1/investment/projects/{lead.pk}/advance", {"stage": "contact"})
    assert again.status_code == 409


def test_at_registered_the_credit_code_brings_the_enterprise_onto_the_platform(
    api_client_for: Any, officer: Any, lead: Lead, templates: None, agency: Any
) -> None:
    _user("guanjia_y", [Role.STEWARD], department=agency)
    client = api_client_for(officer)
    for stage in ("contact", "inspection", "negotiation", "signed"):
        assert (
            post(
                client, f"/api/v1/investment/projects/{lead.pk}/advance", {"stage": stage}
            ).status_code
            == 200
        )
    missing = post(
        client, f"/api/v1/investment/projects/{lead.pk}/advance", {"stage": "registered"}
    )
    assert missing.status_code == 400 and "credit_code" in missing.json()["detail"]
    code = build_credit_code(serial=7002)
    done = post(
        client,
        f"/api/v1/investment/projects/{lead.pk}/advance",
        {"stage": "registered", "credit_code": code},
    )
    assert done.status_code == 200
    body = done.json()
    assert body["enterprise"] == code and body["construction_project"] is not None
    enterprise = Enterprise.objects.get(credit_code=code)
    # The investor's contact is invited by SMS to be the new enterprise's first administrator.
    invitation = MemberInvitation.objects.get(enterprise=enterprise)
    assert (invitation.phone, invitation.real_name) == ("13805748812", "周建国")
    assert invitation.role == Role.ENTERPRISE_ADMIN and invitation.invited_by == officer


def test_a_leader_reads_projects_but_may_not_advance(
    api_client_for: Any, leader: Any, lead: Lead
) -> None:
    client = api_client_for(leader)
    assert client.get("/api/v1/investment/projects").json()["count"] == 1
    assert (
        post(
            client, f"/api/v1/investment/projects/{lead.pk}/advance", {"stage": "contact"}
        ).status_code
        == 403
    )


def test_staff_record_a_contact_and_terminate_with_a_reason(
    api_client_for: Any, officer: Any, lead: Lead
) -> None:
    client = api_client_for(officer)
    contacted = post(
        client,
        f"/api/v1/investment/projects/{lead.pk}/contact",
        {"way": "电话", "content": "约定考察"},
    )
    assert contacted.status_code == 200 and contacted.json()["first_contact_at"]
    assert (
        post(client, f"/api/v1/investment/projects/{lead.pk}/terminate", {"reason": ""}).status_code
        == 400
    )
    ended = post(client, f"/api/v1/investment/projects/{lead.pk}/terminate", {"reason": "企业放弃"})
    assert ended.json()["stage"] == "terminated"


def test_public_lists_show_only_published_items(
    client: Any, park: Any, investment_admin: Any
) -> None:
    from qifu.investment.catalogue import KINDS, catalogue_create

    catalogue_create(
        kind=KINDS["parks"],
        author=investment_admin,
        values={"name": "未审核园区", "level": "city", "leading_industries": "—"},
    )
    names = [p["name"] for p in client.get("/api/v1/investment/parks").json()]
    assert names == ["海洋生物食品产业园"]
