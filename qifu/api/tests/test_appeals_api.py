"""The appeals API exactly as docs/api.md "Appeals"."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from qifu.appeals.models import Appeal, AppealCategory

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def category(department):
    return AppealCategory.objects.create(code="ZC", name="政策咨询", default_department=department)


def _file(client, **extra):
    payload = {"title": "奖补资金未到账", "content": "技改奖补已公示但未拨付。", "category": "ZC"}
    payload.update(extra)
    return client.post("/api/v1/appeals", payload, content_type="application/json")


def test_categories_are_listed(client, category):
    resp = client.get("/api/v1/appeals/categories")
    assert resp.status_code == 200
    assert resp.json()[0]["code"] == "ZC"


@time_machine.travel(dt.datetime(2026, 9, 30, 10, 0, tzinfo=SH), tick=False)
def test_an_enterprise_files_and_reads_its_appeal(api_client_for, enterprise_user, category):
    client = api_client_for(enterprise_user)
    resp = _file(client)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    for key in (
        "id",
        "number",
        "title",
        "stage",
        "department",
        "received_at",
        "dispatch_due_at",
        "respond_due_at",
        "followup_due_at",
        "overdue",
        "supervised",
        "dispatch_count",
        "timeline",
        "evaluations",
    ):
        assert key in body
    assert body["stage"] == "received"
    assert body["dispatch_due_at"] == "2026-09-30T17:00:00+08:00"
    assert body["timeline"][0]["action"] == "file"
    assert body["timeline"][0]["label"] == "提交诉求"
    got = client.get(f"/api/v1/appeals/{body['id']}").json()
    assert got["number"] == body["number"]


def test_bad_input_is_400_field_by_field(api_client_for, enterprise_user, category):
    resp = _file(api_client_for(enterprise_user), category="NOPE", title="")
    assert resp.status_code == 400
    assert "category" in resp.json()["detail"]


def test_missing_fields_are_named(api_client_for, enterprise_user, category):
    resp = api_client_for(enterprise_user).post(
        "/api/v1/appeals", {"title": "x"}, content_type="application/json"
    )
    assert resp.status_code == 400
    detail = resp.json()["detail"]
    assert "content" in detail and "category" in detail


def test_a_retry_with_the_same_idempotency_key_creates_one(
    api_client_for, enterprise_user, category
):
    client = api_client_for(enterprise_user)
    first = (
        _file(client, HTTP_IDEMPOTENCY_KEY="abc")
        if False
        else client.post(
            "/api/v1/appeals",
            {"title": "t", "content": "c", "category": "ZC"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="abc",
        )
    )
    second = client.post(
        "/api/v1/appeals",
        {"title": "t", "content": "c", "category": "ZC"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="abc",
    )
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Appeal.objects.count() == 1


def test_staff_record_a_phone_appeal_for_an_enterprise(
    api_client_for, platform_staff, enterprise, category
):
    resp = _file(
        api_client_for(platform_staff),
        enterprise=enterprise.credit_code,
        received_at="2026-09-29T16:00:00+08:00",
        channel="phone",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["channel"] == "phone"
    assert resp.json()["enterprise"]["credit_code"] == enterprise.credit_code


def test_another_enterprise_gets_404(
    api_client_for, enterprise_user, other_enterprise_user, category
):
    appeal_id = _file(api_client_for(enterprise_user)).json()["id"]
    other = api_client_for(other_enterprise_user)
    assert other.get(f"/api/v1/appeals/{appeal_id}").status_code == 404
    assert (
        other.post(
            f"/api/v1/appeals/{appeal_id}/evaluate",
            {"satisfied": True, "score": 5},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert other.get("/api/v1/appeals").json()["count"] == 0


def test_anonymous_gets_401(client, category):
    assert client.get("/api/v1/appeals").status_code == 401


def test_whole_lifecycle_through_the_api(
    api_client_for, enterprise_user, platform_staff, department_admin, department, category
):
    ent = api_client_for(enterprise_user)
    staff = api_client_for(platform_staff)
    dept = api_client_for(department_admin)
    appeal_id = _file(ent).json()["id"]
    url = f"/api/v1/appeals/{appeal_id}"

    def post(client, action, payload=None):
        return client.post(f"{url}/{action}", payload or {}, content_type="application/json")

    assert (
        post(staff, "triage", {"category": "ZC", "department": department.code}).status_code == 200
    )
    # The department cannot see it before dispatch.
    assert dept.get(url).status_code == 404
    r = post(staff, "dispatch", {"department": department.code, "note": "请尽快联系企业"})
    assert r.status_code == 200 and r.json()["stage"] == "dispatched"
    assert r.json()["respond_due_at"] is not None
    assert post(dept, "accept").status_code == 200
    assert post(dept, "accept").status_code == 409
    # No response without a contact record of the round (art. 16).
    r = post(dept, "respond", {"result": "已协调财政局，奖补资金本周内拨付到账。"})
    assert r.status_code == 400 and "contact" in r.json()["detail"]
    r = post(
        dept,
        "respond",
        {
            "result": "已协调财政局，奖补资金本周内拨付到账。",
            "contact": {"way": "phone", "person": "张经理", "content": "电话了解拨付情况"},
        },
    )
    assert r.json()["stage"] == "responded"
    # The enterprise's online rating does not close the appeal; the platform's call does.
    assert post(ent, "evaluate", {"satisfied": True, "score": 5}).json()["stage"] == "responded"
    assert post(staff, "close").status_code == 409
    r = post(
        staff,
        "followup",
        {"confirm_online": True, "way": "phone", "person": "张经理", "close": True},
    )
    assert r.status_code == 200 and r.json()["stage"] == "closed"
    timeline = ent.get(url).json()["timeline"]
    assert [e["action"] for e in timeline] == [
        "file",
        "triage",
        "dispatch",
        "accept",
        "contact",
        "respond",
        "evaluate",
        "followup",
        "close",
    ]
    assert all(e["label"] for e in timeline)
    # Each step names the actor's own unit.
    units = {e["action"]: e["actor_role"] for e in timeline}
    assert units["triage"] == units["followup"] == platform_staff.department.name
    assert units["evaluate"] == enterprise_user.enterprise.name
    assert units["respond"] == department.name


def test_action_in_the_wrong_stage_is_409(
    api_client_for, enterprise_user, platform_staff, category
):
    appeal_id = _file(api_client_for(enterprise_user)).json()["id"]
    resp = api_client_for(platform_staff).post(
        f"/api/v1/appeals/{appeal_id}/close", content_type="application/json"
    )
    assert resp.status_code == 409
    assert "不能执行" in resp.json()["detail"]


def test_an_enterprise_cannot_dispatch(api_client_for, enterprise_user, department, category):
    client = api_client_for(enterprise_user)
    appeal_id = _file(client).json()["id"]
    resp = client.post(
        f"/api/v1/appeals/{appeal_id}/dispatch",
        {"department": department.code},
        content_type="application/json",
    )
    assert resp.status_code == 403


def test_unsatisfied_evaluation_goes_back_to_triage(
    api_client_for, enterprise_user, platform_staff, department_admin, department, category
):
    ent, staff, dept = (
        api_client_for(u) for u in (enterprise_user, platform_staff, department_admin)
    )
    appeal_id = _file(ent).json()["id"]
    url = f"/api/v1/appeals/{appeal_id}"
    staff.post(f"{url}/dispatch", {"department": department.code}, content_type="application/json")
    dept.post(
        f"{url}/respond",
        {
            "result": "经核实，该事项不符合奖补条件，已电话说明。",
            "contact": {"way": "phone", "person": "张经理", "content": "电话说明政策条件"},
        },
        content_type="application/json",
    )
    r = ent.post(
        f"{url}/evaluate",
        {"satisfied": False, "score": 1, "comment": "不认可"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["stage"] == "triaged"
    assert r.json()["evaluations"][0]["satisfied"] is False


def test_filters_overdue_and_stage(api_client_for, enterprise_user, platform_staff, category):
    with time_machine.travel(dt.datetime(2026, 9, 18, 9, 0, tzinfo=SH), tick=False):
        _file(api_client_for(enterprise_user))
    with time_machine.travel(dt.datetime(2026, 9, 18, 18, 0, tzinfo=SH), tick=False):
        staff = api_client_for(platform_staff)
        assert staff.get("/api/v1/appeals?overdue=true").json()["count"] == 1
        assert staff.get("/api/v1/appeals?stage=dispatched").json()["count"] == 0
        item = staff.get("/api/v1/appeals").json()["items"][0]
        assert item["overdue"] is True


@pytest.mark.django_db(transaction=True)
def test_two_people_dispatching_at_once_one_wins_the_other_gets_409(
    api_client_for, enterprise_user, platform_staff, department, other_department, category
):
    appeal_id = _file(api_client_for(enterprise_user)).json()["id"]
    results: list[int] = []
    barrier = threading.Barrier(2)

    def dispatch(code):
        client = api_client_for(platform_staff)
        barrier.wait()
        resp = client.post(
            f"/api/v1/appeals/{appeal_id}/dispatch",
            {"department": code},
            content_type="application/json",
        )
        results.append(resp.status_code)
        connection.close()

    threads = [
        threading.Thread(target=dispatch, args=(c,))
        for c in (department.code, other_department.code)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    assert Appeal.objects.get(pk=appeal_id).dispatch_count == 1
