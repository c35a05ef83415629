"""A department responsible for items of a project reads it (read-only) and lists its items."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from qifu.accounts.models import Department, Enterprise, User
from qifu.portal.workbench import panels_for
from qifu.projects import selectors, services
from qifu.projects.models import ItemStatus, Project
from qifu.projects.tests.conftest import TZ, make_project, pdf
from qifu.workspace.models import Assignment

pytestmark = pytest.mark.django_db

D = dt.date
API = "/api/v1/projects"


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def handled(
    templates: None,
    assigned: Assignment,
    platform_staff: User,
    enterprise: Enterprise,
    other_department: Department,
) -> Project:
    """A project planned from 2026-09-01 whose 施工图审查, 消防设计审查, 联合验收 and 竣工验收备案
    are the 住建局's (`other_department`)."""
    return make_project(platform_staff, enterprise)


@pytest.fixture
def zhujian(other_department_admin: User) -> User:
    return other_department_admin


@pytest.fixture
def elsewhere(handled: Project, platform_staff: User, other_enterprise: Enterprise) -> Project:
    """Another enterprise's project in which the 住建局 has nothing to do."""
    project = make_project(platform_staff, other_enterprise, name="房车生产线技改项目")
    project.items.update(department=None)
    return project


def test_a_department_reads_a_project_it_has_items_in_without_internal_notes(
    client_for: Any, handled: Project, zhujian: User, steward: User
) -> None:
    services.project_note_add(actor=steward, project=handled, note="内部：资金待核实")
    services.project_note_add(
        actor=steward, project=handled, note="已约设计单位", is_internal=False
    )

    response = client_for(zhujian).get(reverse("projects:detail", args=[handled.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "已约设计单位" in body and "资金待核实" not in body
    assert "只读查看" in body and "本部门" in body
    item = handled.items.get(code="drawing-review")
    assert reverse("projects:item", args=[handled.pk, item.pk]) not in body
    assert reverse("projects:note", args=[handled.pk]) not in body


def test_another_departments_project_stays_404(
    client_for: Any, elsewhere: Project, handled: Project, zhujian: User, department_admin: User
) -> None:
    assert client_for(zhujian).get(reverse("projects:detail", args=[elsewhere.pk])).status_code == (
        404
    )
    # 工信局 handles no item of either project.
    assert client_for(department_admin).get(
        reverse("projects:detail", args=[handled.pk])
    ).status_code == (404)
    listed = client_for(zhujian).get(reverse("projects:index")).context["entries"]
    assert [p.pk for p, _ in listed] == [handled.pk]


def test_a_department_cannot_act_on_the_project(
    client_for: Any, handled: Project, zhujian: User
) -> None:
    client = client_for(zhujian)
    item = handled.items.get(code="drawing-review")

    page = client.get(reverse("projects:item", args=[handled.pk, item.pk]))
    act = client.post(
        reverse("projects:item_act", args=[handled.pk, item.pk, "start"]),
        {"start-on": "2026-11-26"},
    )
    note = client.post(reverse("projects:note", args=[handled.pk]), {"note": "x"})
    upload = client.post(reverse("projects:upload", args=[handled.pk]), {"file": pdf()})
    steward = client.post(reverse("projects:steward", args=[handled.pk]), {"steward": zhujian.pk})

    codes = (page, act, note, upload, steward)
    assert [r.status_code for r in codes] == [403] * 5
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED


def test_a_department_sees_only_the_documents_of_its_own_items(
    client_for: Any, handled: Project, zhujian: User, steward: User
) -> None:
    mine = services.project_document_upload(
        actor=steward,
        project=handled,
        upload=pdf("施工图.pdf"),
        item=handled.items.get(code="drawing-review"),
    )
    other = services.project_document_upload(
        actor=steward, project=handled, upload=pdf("资金证明.pdf")
    )
    client = client_for(zhujian)

    body = client.get(reverse("projects:detail", args=[handled.pk])).content.decode()
    assert reverse("projects:document", args=[handled.pk, mine.pk]) in body
    assert reverse("projects:document", args=[handled.pk, other.pk]) not in body
    assert client.get(reverse("projects:document", args=[handled.pk, mine.pk])).status_code == 200
    assert client.get(reverse("projects:document", args=[handled.pk, other.pk])).status_code == 404


def test_the_department_items_page_lists_open_items_first_with_plan_and_slip(
    client_for: Any, handled: Project, elsewhere: Project, zhujian: User, steward: User
) -> None:
    drawing = handled.items.get(code="drawing-review")
    services.project_item_complete(actor=steward, item=drawing, on=D(2026, 11, 2))

    response = client_for(zhujian).get(reverse("projects:department_items"))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.row.item.code for r in rows] == [
        "fire-design",
        "joint-acceptance",
        "completion-record",
        "drawing-review",
    ]
    assert {r.project.pk for r in rows} == {handled.pk}
    assert rows[0].row.is_late and rows[0].row.slip > 0
    body = response.content.decode()
    assert "消防设计审查" in body and "2026-11-09" in body and "逾期" in body


def test_the_department_items_page_is_for_government_users_only(
    client: Any, client_for: Any, enterprise_user: User
) -> None:
    url = reverse("projects:department_items")

    assert "/accounts/login/" in client.get(url)["Location"]
    assert client_for(enterprise_user).get(url).status_code == 403


def test_the_department_items_page_costs_the_same_queries_for_more_projects(
    client_for: Any,
    handled: Project,
    zhujian: User,
    platform_staff: User,
    enterprise: Enterprise,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(zhujian)
    url = reverse("projects:department_items")
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for _ in range(3):
        make_project(platform_staff, enterprise)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert len(response.context["rows"]) == 16


def test_the_workbench_counts_the_departments_due_and_overdue_items(
    handled: Project, zhujian: User, department_admin: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=TZ), tick=False):
        (panel,) = [p for p in panels_for(zhujian) if p.title == "本部门承办的项目事项"]
    counters = {c.label: c.value for c in panel.counters}

    # 联合验收 ends Friday 12/04, the next working day; 施工图审查 and 消防设计审查 have run out.
    assert counters == {"未办结事项": 4, "一个工作日内到期": 1, "逾期事项": 2}
    assert not [p for p in panels_for(department_admin) if p.title == "本部门承办的项目事项"]


def test_a_department_reads_the_project_through_the_api_but_cannot_act(
    api_client_for: Any, handled: Project, elsewhere: Project, zhujian: User, steward: User
) -> None:
    services.project_note_add(actor=steward, project=handled, note="内部：资金待核实")
    client = api_client_for(zhujian)
    item = handled.items.get(code="drawing-review")

    listed = client.get(API).json()
    detail = client.get(f"{API}/{handled.pk}")
    act = client.post(
        f"{API}/{handled.pk}/items/{item.pk}/start", json.dumps({}), content_type="application/json"
    )

    assert [p["id"] for p in listed["items"]] == [handled.pk]
    assert detail.status_code == 200
    assert all("资金待核实" not in e["note"] for e in detail.json()["timeline"])
    assert client.get(f"{API}/{elsewhere.pk}").status_code == 404
    assert act.status_code == 403


def test_the_steward_keeps_every_document_and_is_no_department_viewer(
    handled: Project, steward: User
) -> None:
    services.project_document_upload(actor=steward, project=handled, upload=pdf())

    assert not selectors.is_department_viewer(steward, handled)
    assert selectors.documents_for(handled, steward).count() == 1


def test_the_api_lists_the_departments_items_and_refuses_an_enterprise(
    api_client_for: Any, handled: Project, elsewhere: Project, zhujian: User, enterprise_user: User
) -> None:
    rows = api_client_for(zhujian).get(f"{API}/department-items").json()

    assert [r["code"] for r in rows] == [
        "drawing-review",
        "fire-design",
        "joint-acceptance",
        "completion-record",
    ]
    assert rows[0]["is_late"] and rows[0]["planned_end_on"] == "2026-11-02"
    assert {r["project_id"] for r in rows} == {handled.pk}
    assert api_client_for(enterprise_user).get(f"{API}/department-items").status_code == 403


def test_the_project_list_links_a_department_to_its_items(
    client_for: Any, handled: Project, zhujian: User
) -> None:
    body = client_for(zhujian).get(reverse("projects:index")).content.decode()

    assert reverse("projects:department_items") in body


def test_a_steward_in_the_approval_agency_does_not_see_other_stewards_projects(
    handled: Project, agency: Department
) -> None:
    from qifu.accounts.models import Role
    from qifu.accounts.services import user_create

    first = handled.items.order_by("order", "id")[:1]
    handled.items.filter(pk__in=first).update(department=agency)
    other_steward = user_create(
        username="guanjia_other",
        password=None,
        roles=[Role.STEWARD],
        department=agency,
        validate=False,
    )
    agency_handler = user_create(
        username="xzsp_handler",
        password=None,
        roles=[Role.DEPARTMENT_HANDLER],
        department=agency,
        validate=False,
    )
    assert not Project.objects.for_user(other_steward).filter(pk=handled.pk).exists()
    assert Project.objects.for_user(agency_handler).filter(pk=handled.pk).exists()
