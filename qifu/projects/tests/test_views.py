from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from qifu.projects import services
from qifu.projects.models import ItemStatus, Project
from qifu.projects.tests.conftest import TZ, make_project, pdf

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=TZ), tick=False):
        yield


def _item(project: Project, code: str = "record") -> Any:
    return project.items.get(code=code)


@pytest.mark.parametrize("name", ["projects:index", "projects:new"])
def test_anonymous_visitors_are_sent_to_sign_in(client: Any, name: str) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_visitors_cannot_see_a_project(client: Any, project: Project) -> None:
    response = client.get(reverse("projects:detail", args=[project.pk]))

    assert response.status_code == 302


def test_another_enterprise_gets_404_for_the_project_and_its_documents(
    client_for: Any, project: Project, other_enterprise_user: Any, steward: Any
) -> None:
    document = services.project_document_upload(actor=steward, project=project, upload=pdf())
    client = client_for(other_enterprise_user)

    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404
    assert (
        client.get(reverse("projects:document", args=[project.pk, document.pk])).status_code == 404
    )
    assert client.get(reverse("projects:index")).context["entries"] == []


def test_the_enterprise_sees_its_project_without_internal_notes_or_actions(
    client_for: Any, project: Project, enterprise_user: Any, steward: Any
) -> None:
    services.project_note_add(actor=steward, project=project, note="内部：资金待核实")
    services.project_note_add(
        actor=steward, project=project, note="已约设计单位", is_internal=False
    )

    response = client_for(enterprise_user).get(reverse("projects:detail", args=[project.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "已约设计单位" in body
    assert "资金待核实" not in body
    assert "审批事项明细" in body and "project-gantt-data" in body
    assert reverse("projects:item", args=[project.pk, _item(project).pk]) not in body


def test_an_enterprise_cannot_act_as_steward(
    client_for: Any, project: Project, enterprise_user: Any
) -> None:
    client = client_for(enterprise_user)
    item = _item(project)

    page = client.get(reverse("projects:item", args=[project.pk, item.pk]))
    act = client.post(
        reverse("projects:item_act", args=[project.pk, item.pk, "start"]),
        {"start-on": "2026-11-26"},
    )
    note = client.post(reverse("projects:note", args=[project.pk]), {"note": "x"})

    assert (page.status_code, act.status_code, note.status_code) == (403, 403, 403)
    item.refresh_from_db()
    assert item.status == ItemStatus.NOT_STARTED


def test_the_steward_completes_an_item_with_a_document(
    client_for: Any, project: Project, steward: Any
) -> None:
    item = _item(project)
    client = client_for(steward)
    assert client.get(reverse("projects:item", args=[project.pk, item.pk])).status_code == 200

    response = client.post(
        reverse("projects:item_act", args=[project.pk, item.pk, "complete"]),
        {"complete-on": "2026-09-01", "complete-note": "已备案", "complete-document": pdf()},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.actual_end_on) == (ItemStatus.DONE, D(2026, 9, 1))
    assert project.documents.count() == 1


def test_a_second_submit_of_the_same_action_does_not_act_twice(
    client_for: Any, project: Project, steward: Any
) -> None:
    item = _item(project)
    client = client_for(steward)
    url = reverse("projects:item_act", args=[project.pk, item.pk, "complete"])

    client.post(url, {"complete-on": "2026-09-01"})
    response = client.post(url, {"complete-on": "2026-09-01"}, follow=True)

    assert "不能执行" in response.content.decode()
    assert project.events.filter(action="complete").count() == 1


def test_an_invalid_action_form_shows_the_error_next_to_the_field(
    client_for: Any, project: Project, steward: Any
) -> None:
    item = _item(project)

    response = client_for(steward).post(
        reverse("projects:item_act", args=[project.pk, item.pk, "complete"]),
        {"complete-on": "2026-12-31"},
    )

    assert response.status_code == 400
    assert "实际日期不能晚于今天" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_enterprise_uploads_a_requested_document(
    client_for: Any, project: Project, steward: Any, enterprise_user: Any
) -> None:
    item = _item(project, "fire-design")
    client = client_for(enterprise_user)
    refused = client.post(reverse("projects:upload", args=[project.pk]), {"file": pdf()})
    services.project_item_request_document(actor=steward, item=item, what="防火分区说明")

    page = client.get(reverse("projects:detail", args=[project.pk]))
    response = client.post(
        reverse("projects:upload", args=[project.pk]), {"item": str(item.pk), "file": pdf()}
    )

    assert refused.status_code == 403
    assert "项目管家请您上传材料" in page.content.decode()
    assert response.status_code == 302
    assert project.documents.get().uploaded_by == enterprise_user


def test_platform_staff_register_a_project_through_the_form(
    client_for: Any, templates: None, platform_staff: Any, enterprise: Any, steward: Any
) -> None:
    response = client_for(platform_staff).post(
        reverse("projects:new"),
        {
            "enterprise": enterprise.credit_code,
            "name": "房车生产线技术改造项目",
            "code": "2026-371082-36-03-030412",
            "kind": "record",
            "total_investment": "9800",
            "planned_start_on": "2026-12-01",
            "steward": str(steward.pk),
        },
    )

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert (project.steward, project.items.count()) == (steward, 10)


def test_the_form_explains_an_unknown_enterprise(
    client_for: Any, templates: None, platform_staff: Any
) -> None:
    response = client_for(platform_staff).post(
        reverse("projects:new"),
        {
            "enterprise": "不存在的公司",
            "name": "x",
            "kind": "record",
            "total_investment": "1",
            "planned_start_on": "2026-12-01",
        },
    )

    assert response.status_code == 200
    assert "未找到该企业" in response.content.decode()


def test_an_enterprise_cannot_open_the_registration_form(
    client_for: Any, enterprise_user: Any
) -> None:
    assert client_for(enterprise_user).get(reverse("projects:new")).status_code == 403


def test_platform_staff_change_the_steward_on_the_page(
    client_for: Any, project: Project, platform_staff: Any, steward: Any
) -> None:
    project.steward = None
    project.save()

    response = client_for(platform_staff).post(
        reverse("projects:steward", args=[project.pk]), {"steward": str(steward.pk)}
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.steward == steward


def test_the_list_costs_the_same_queries_for_more_projects(
    client_for: Any,
    project: Project,
    platform_staff: Any,
    enterprise: Any,
    steward: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(steward)
    client.get(reverse("projects:index"))  # warm the session and the calendar cache
    # 15: the page frame's section menu reads the steward's department once (its staff pages).
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("projects:index"))
    for _ in range(4):
        make_project(platform_staff, enterprise)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("projects:index"))

    assert len(response.context["entries"]) == 5


def test_the_list_filters_late_projects(
    client_for: Any, project: Project, platform_staff: Any, enterprise: Any, steward: Any
) -> None:
    make_project(platform_staff, enterprise, start=D(2026, 12, 1), name="未来项目")
    # A closed item elsewhere in the project does not hide the overdue ones.
    services.project_item_complete(actor=steward, item=_item(project), on=D(2026, 9, 1))

    response = client_for(steward).get(reverse("projects:index"), {"late": "on"})

    assert [p.name for p, _ in response.context["entries"]] == [project.name]


def test_a_department_user_sees_no_projects(
    client_for: Any, project: Project, department_admin: Any
) -> None:
    client = client_for(department_admin)

    assert client.get(reverse("projects:index")).context["entries"] == []
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404


def test_the_enterprise_downloads_a_document_of_its_project(
    client_for: Any, project: Project, enterprise_user: Any, steward: Any
) -> None:
    document = services.project_document_upload(actor=steward, project=project, upload=pdf())

    response = client_for(enterprise_user).get(
        reverse("projects:document", args=[project.pk, document.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_detail_page_costs_the_same_queries_with_more_history(
    client_for: Any, project: Project, steward: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(steward)
    url = reverse("projects:detail", args=[project.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for item in project.items.order_by("order")[:4]:
        services.project_item_complete(actor=steward, item=item, on=D(2026, 11, 2), document=pdf())
        services.project_note_add(actor=steward, project=project, note="记录")

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
