"""Service requests to the commissioner: workflow, deadlines, reminders, pages and API."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qifu.matters.models import ELicence
from qifu.notifications.models import Notification
from qifu.portal.space import space_cards, timeline
from qifu.workspace.models import (
    AssignmentRole,
    RequestStatus,
    ServiceRequest,
    ServiceRequestAttachment,
)
from qifu.workspace.services import requests as services
from qifu.workspace.services.assignments import assignment_set
from qifu.workspace.tasks import deadlines_sweep

TZ = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
C = AssignmentRole.COMMISSIONER


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def served(enterprise: Any, commissioner: Any, platform_staff: Any) -> Any:
    assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    return enterprise


def submit(user: Any, **fields: Any) -> ServiceRequest:
    data: dict[str, Any] = {
        "kind": "archive_query",
        "title": "调取设立登记档案",
        "description": "因银行贷款需要，调取公司设立登记档案。",
    }
    data.update(fields)
    return services.service_request_submit(user=user, **data)


# --- the workflow ----------------------------------------------------------------------------


def test_submit_goes_to_the_current_commissioner_with_an_accept_deadline(
    served: Any, enterprise_user: Any, commissioner: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(at(9), tick=False), django_capture_on_commit_callbacks(execute=True):
        sr = submit(enterprise_user)
    assert sr.commissioner == commissioner and sr.status == RequestStatus.SUBMITTED
    assert sr.number.startswith("ZY20260309")
    assert sr.accept_due_at == dt.datetime(2026, 3, 10, 17, 0, tzinfo=TZ)
    assert sr.events.get().action == "submit"
    assert Notification.objects.filter(user=commissioner, title__contains="档案查询").exists()


def test_without_a_commissioner_the_request_is_queued_to_platform_staff(
    enterprise: Any,
    enterprise_user: Any,
    platform_staff: Any,
    commissioner: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sr = submit(enterprise_user)
    assert sr.commissioner is None
    assert Notification.objects.filter(user=platform_staff, body__contains="请分派专员").exists()
    services.service_request_reassign(user=platform_staff, service_request=sr, to_user=commissioner)
    sr.refresh_from_db()
    assert sr.commissioner == commissioner
    services.service_request_accept(user=commissioner, service_request=sr)


def test_reassign_is_for_platform_staff_only(
    served: Any, enterprise_user: Any, commissioner: Any, other_commissioner: Any
) -> None:
    sr = submit(enterprise_user)
    with pytest.raises(PermissionDenied):
        services.service_request_reassign(
            user=commissioner, service_request=sr, to_user=other_commissioner
        )


def test_a_whole_request_with_the_clock_stopping_while_waiting(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    with time_machine.travel(at(9), tick=False):
        sr = submit(enterprise_user)
    with time_machine.travel(at(9, 11), tick=False):
        services.service_request_accept(user=commissioner, service_request=sr)
    sr.refresh_from_db()
    # Archive query: 3 working days from Monday 9 March → Thursday 12 March, 17:00.
    assert sr.due_at == dt.datetime(2026, 3, 12, 17, 0, tzinfo=TZ)
    with time_machine.travel(at(10, 9), tick=False):
        services.service_request_ask_info(
            user=commissioner, service_request=sr, note="请提供经办人授权委托书。"
        )
    with time_machine.travel(at(16), tick=False):
        services.service_request_supply_info(
            user=enterprise_user,
            service_request=sr,
            note="已上传授权委托书。",
            files=[SimpleUploadedFile("委托书.pdf", PDF, "application/pdf")],
        )
    sr.refresh_from_db()
    # Two working days were left when asked (11, 12 March): granted again from Monday 16 March.
    assert sr.status == RequestStatus.ACCEPTED
    assert sr.due_at == dt.datetime(2026, 3, 18, 17, 0, tzinfo=TZ)
    services.service_request_complete(
        user=commissioner,
        service_request=sr,
        result="已调取设立登记档案，摘录见附件。",
        files=[SimpleUploadedFile("档案摘录.pdf", PDF, "application/pdf")],
    )
    sr.refresh_from_db()
    assert sr.status == RequestStatus.COMPLETED and sr.completed_at is not None
    assert [e.action for e in sr.events.all()] == [
        "submit",
        "accept",
        "ask_info",
        "supply_info",
        "complete",
    ]
    assert ServiceRequestAttachment.objects.filter(request=sr).count() == 2


def test_completion_limit_depends_on_the_kind(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    with time_machine.travel(at(9), tick=False):
        sr = submit(enterprise_user, kind="deregistration", title="注销登记")
        services.service_request_accept(user=commissioner, service_request=sr)
    sr.refresh_from_db()
    assert sr.due_at == dt.datetime(2026, 3, 23, 17, 0, tzinfo=TZ)  # 10 working days


def test_a_wrong_state_is_refused_and_a_second_accept_loses(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    sr = submit(enterprise_user)
    stale = ServiceRequest.objects.get(pk=sr.pk)
    with pytest.raises(services.TransitionNotAllowed):
        services.service_request_complete(user=commissioner, service_request=sr, result="好")
    services.service_request_accept(user=commissioner, service_request=sr)
    # The second accept reads the row under the lock and finds it already accepted.
    with pytest.raises(services.TransitionNotAllowed):
        services.service_request_accept(user=commissioner, service_request=stale)
    assert sr.events.filter(action="accept").count() == 1


def test_only_the_commissioner_of_the_request_acts_on_it(
    served: Any, enterprise_user: Any, other_commissioner: Any
) -> None:
    sr = submit(enterprise_user)
    with pytest.raises(PermissionDenied):
        services.service_request_accept(user=other_commissioner, service_request=sr)
    with pytest.raises(PermissionDenied):
        services.service_request_accept(user=enterprise_user, service_request=sr)


def test_only_the_enterprise_withdraws_and_not_after_completion(
    served: Any, enterprise_user: Any, commissioner: Any, other_enterprise_user: Any
) -> None:
    sr = submit(enterprise_user)
    with pytest.raises(PermissionDenied):
        services.service_request_withdraw(user=other_enterprise_user, service_request=sr)
    services.service_request_accept(user=commissioner, service_request=sr)
    services.service_request_complete(user=commissioner, service_request=sr, result="已办结")
    with pytest.raises(services.TransitionNotAllowed):
        services.service_request_withdraw(user=enterprise_user, service_request=sr)


def test_asking_and_completing_need_text(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    sr = submit(enterprise_user)
    services.service_request_accept(user=commissioner, service_request=sr)
    with pytest.raises(ValidationError):
        services.service_request_ask_info(user=commissioner, service_request=sr, note=" ")
    with pytest.raises(ValidationError):
        services.service_request_complete(user=commissioner, service_request=sr, result="")


def test_submit_is_idempotent_per_applicant_key(served: Any, enterprise_user: Any) -> None:
    first = submit(enterprise_user, idempotency_key="k-1")
    again = submit(enterprise_user, idempotency_key="k-1")
    assert first.pk == again.pk
    assert ServiceRequest.objects.count() == 1


def test_a_licence_of_another_enterprise_is_refused(
    served: Any, enterprise_user: Any, other_enterprise: Any, agency: Any
) -> None:
    foreign = ELicence.objects.create(
        number="RC-X-1",
        name="食品生产许可证",
        enterprise=other_enterprise,
        department=agency,
        issued_on=dt.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        submit(enterprise_user, kind="licence_renewal", licence=foreign)
    assert "licence" in error.value.message_dict


def test_only_enterprise_users_submit(commissioner: Any) -> None:
    with pytest.raises(PermissionDenied):
        submit(commissioner)


# --- reminders -------------------------------------------------------------------------------


def test_the_commissioner_is_reminded_and_told_when_overdue_once(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    with time_machine.travel(at(9), tick=False):
        submit(enterprise_user)
    with time_machine.travel(at(9, 18), tick=False):
        assert deadlines_sweep()["reminded"] == 1
        assert deadlines_sweep()["reminded"] == 0
    with time_machine.travel(at(11), tick=False):
        assert deadlines_sweep()["overdue"] == 1
        assert deadlines_sweep()["overdue"] == 0
    assert Notification.objects.filter(user=commissioner, title="服务申请受理已超期").count() == 1


def test_no_deadline_runs_while_waiting_for_the_enterprise(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    with time_machine.travel(at(9), tick=False):
        sr = submit(enterprise_user)
        services.service_request_accept(user=commissioner, service_request=sr)
        services.service_request_ask_info(user=commissioner, service_request=sr, note="补充")
    with time_machine.travel(at(20), tick=False):
        assert deadlines_sweep() == {"reminded": 0, "overdue": 0}


# --- pages -----------------------------------------------------------------------------------


def test_commissioner_page_needs_login_and_an_enterprise(
    client: Any, client_for: Any, commissioner: Any
) -> None:
    url = reverse("workspace:commissioner")
    assert "login" in client.get(url)["Location"]
    # A commissioner is taken to the staff side of the same page: the request inbox.
    assert client_for(commissioner).get(url)["Location"] == reverse("workspace:requests_inbox")


def test_commissioner_page_shows_the_people_in_full_and_the_requests(
    client_for: Any, served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    submit(enterprise_user)
    text = client_for(enterprise_user).get(reverse("workspace:commissioner")).content.decode()
    assert commissioner.real_name in text and commissioner.phone in text
    assert "调取设立登记档案" in text


def test_new_request_form_prefills_a_licence_renewal(
    client_for: Any, served: Any, enterprise_user: Any, agency: Any, other_enterprise: Any
) -> None:
    own = ELicence.objects.create(
        number="RC-1",
        name="食品生产许可证",
        enterprise=served,
        department=agency,
        issued_on=dt.date(2022, 1, 1),
    )
    foreign = ELicence.objects.create(
        number="RC-2",
        name="排污许可证",
        enterprise=other_enterprise,
        department=agency,
        issued_on=dt.date(2022, 1, 1),
    )
    client = client_for(enterprise_user)
    url = reverse("workspace:request_new")
    response = client.get(url, {"kind": "licence_renewal", "licence": own.pk})
    assert response.context["form"].initial["licence"] == own.pk
    assert "食品生产许可证换发" in response.content.decode()
    response = client.get(url, {"kind": "licence_renewal", "licence": foreign.pk})
    assert "licence" not in response.context["form"].initial
    assert "排污许可证" not in response.content.decode()


def test_new_request_double_submit_files_one(
    client_for: Any, served: Any, enterprise_user: Any
) -> None:
    client = client_for(enterprise_user)
    data = {
        "kind": "annual_report",
        "title": "年报帮办",
        "description": "请协助填报2025年度年报。",
        "contact_name": "于海波",
        "contact_phone": "13900000001",
        "idempotency_key": "form-key-1",
    }
    first = client.post(reverse("workspace:request_new"), data)
    second = client.post(reverse("workspace:request_new"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ServiceRequest.objects.count() == 1


def test_new_request_shows_errors_next_to_the_field(
    client_for: Any, served: Any, enterprise_user: Any
) -> None:
    response = client_for(enterprise_user).post(reverse("workspace:request_new"), {"kind": ""})
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()


def test_request_detail_of_another_enterprise_is_404(
    client_for: Any,
    served: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    other_commissioner: Any,
) -> None:
    sr = submit(enterprise_user)
    url = reverse("workspace:request", args=[sr.pk])
    assert client_for(other_enterprise_user).get(url).status_code == 404
    assert client_for(other_commissioner).get(url).status_code == 404
    assert client_for(enterprise_user).get(url).status_code == 200


def test_the_steward_of_the_enterprise_reads_the_request_but_cannot_act(
    client_for: Any, served: Any, enterprise_user: Any, steward: Any, platform_staff: Any
) -> None:
    assignment_set(
        enterprise=served, role=AssignmentRole.STEWARD, user=steward, actor=platform_staff
    )
    sr = submit(enterprise_user)
    client = client_for(steward)
    response = client.get(reverse("workspace:request", args=[sr.pk]))
    assert response.status_code == 200 and not response.context["can_accept"]
    assert client.post(reverse("workspace:request_act", args=[sr.pk, "accept"])).status_code == 403


def test_commissioner_accepts_and_completes_through_the_page(
    client_for: Any, served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    sr = submit(enterprise_user)
    client = client_for(commissioner)
    assert client.post(reverse("workspace:request_act", args=[sr.pk, "accept"])).status_code == 302
    again = client.post(reverse("workspace:request_act", args=[sr.pk, "accept"]), follow=True)
    assert "不能执行" in again.content.decode()
    response = client.post(
        reverse("workspace:request_act", args=[sr.pk, "complete"]),
        {
            "complete-result": "已调档，摘录见附件。",
            "complete-result_files": SimpleUploadedFile("摘录.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    sr.refresh_from_db()
    assert sr.status == RequestStatus.COMPLETED
    attachment = sr.attachments.get()
    download = client_for(enterprise_user).get(
        reverse("workspace:request_attachment", args=[attachment.pk])
    )
    assert download.status_code == 200


def test_an_action_by_the_wrong_person_is_403_and_a_get_is_405(
    client_for: Any, served: Any, enterprise_user: Any
) -> None:
    sr = submit(enterprise_user)
    client = client_for(enterprise_user)
    assert client.post(reverse("workspace:request_act", args=[sr.pk, "accept"])).status_code == 403
    assert client.get(reverse("workspace:request_act", args=[sr.pk, "accept"])).status_code == 405


def test_attachment_of_another_enterprise_is_404(
    client_for: Any, served: Any, enterprise_user: Any, other_enterprise_user: Any
) -> None:
    sr = submit(enterprise_user, files=[SimpleUploadedFile("a.pdf", PDF, "application/pdf")])
    url = reverse("workspace:request_attachment", args=[sr.attachments.get().pk])
    assert client_for(other_enterprise_user).get(url).status_code == 404


def test_inbox_filters_colours_and_stays_bounded(
    client_for: Any,
    served: Any,
    enterprise_user: Any,
    commissioner: Any,
    django_assert_max_num_queries: Any,
) -> None:
    with time_machine.travel(at(2), tick=False):
        for i in range(25):
            submit(enterprise_user, title=f"档案查询{i:02d}")
    client = client_for(commissioner)
    url = reverse("workspace:requests_inbox")
    client.get(url)
    with time_machine.travel(at(9), tick=False), django_assert_max_num_queries(10):
        response = client.get(url, {"status": "submitted", "kind": "archive_query"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'class="table-danger"' in text
    assert "第 1 / 2 页" in text
    with time_machine.travel(at(9), tick=False):
        assert client.get(url, {"kind": "change"}).context["page"].paginator.count == 0


def test_inbox_is_refused_to_enterprise_users(client_for: Any, enterprise_user: Any) -> None:
    assert client_for(enterprise_user).get(reverse("workspace:requests_inbox")).status_code == 403


def test_served_page_lists_enterprises_with_open_requests(
    client_for: Any, served: Any, enterprise_user: Any, commissioner: Any, steward: Any
) -> None:
    submit(enterprise_user)
    response = client_for(commissioner).get(reverse("workspace:served"))
    assert served.name in response.content.decode()
    assert response.context["page"].object_list[0].open_requests == 1
    assert client_for(enterprise_user).get(reverse("workspace:served")).status_code == 403


def test_workbench_panel_counts_to_accept(
    client_for: Any, served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    from qifu.portal.workbench import panels_for

    submit(enterprise_user)
    panel = next(p for p in panels_for(commissioner) if p.extra.get("kind") == "commissioner")
    assert panel.counters[0].value == 1


def test_space_panel_and_timeline_show_people_and_requests(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    submit(enterprise_user)
    panels = [p for p in space_cards(served, enterprise_user) if p.key == "people"]
    assert panels and panels[0].order == 10
    assert panels[0].context["commissioner"] == commissioner
    entries, _cursor = timeline(served, enterprise_user, kinds={"service_request"})
    assert entries[0].kind_label == "专员服务"


# --- API -------------------------------------------------------------------------------------


API = "/api/v1/workspace/requests"


def test_api_submit_honours_the_idempotency_key(
    api_client_for: Any, served: Any, enterprise_user: Any
) -> None:
    client = api_client_for(enterprise_user)
    body = {"kind": "change", "title": "变更登记", "description": "变更经营范围"}
    first = client.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc")
    second = client.post(API, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["timeline"][0]["action"] == "submit"


def test_api_refusals_404_403_409_and_400(
    api_client_for: Any,
    served: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    commissioner: Any,
    department_admin: Any,
) -> None:
    sr = submit(enterprise_user)
    assert api_client_for(other_enterprise_user).get(f"{API}/{sr.pk}").status_code == 404
    response = api_client_for(enterprise_user).post(f"{API}/{sr.pk}/accept")
    assert response.status_code == 403, response.json()
    assert api_client_for(department_admin).get(API).status_code == 403
    assert (
        api_client_for(commissioner)
        .post(
            API,
            {"kind": "change", "title": "x", "description": "y"},
            content_type="application/json",
        )
        .status_code
        == 403
    )
    client = api_client_for(commissioner)
    assert (
        client.post(
            f"{API}/{sr.pk}/complete", {"result": "好"}, content_type="application/json"
        ).status_code
        == 409
    )
    response = api_client_for(enterprise_user).post(
        API, {"kind": "nope", "title": "x", "description": "y"}, content_type="application/json"
    )
    assert response.status_code == 400 and "kind" in response.json()["detail"]


def test_api_works_a_request_end_to_end(
    api_client_for: Any, served: Any, enterprise_user: Any, commissioner: Any, platform_staff: Any
) -> None:
    sr = submit(enterprise_user)
    officer = api_client_for(commissioner)
    company = api_client_for(enterprise_user)
    assert officer.get(API).json()["count"] == 1
    assert api_client_for(platform_staff).get(API, {"status": "open"}).json()["count"] == 1
    assert officer.post(f"{API}/{sr.pk}/accept").json()["status"] == "accepted"
    officer.post(
        f"{API}/{sr.pk}/ask_info", {"note": "请补充委托书"}, content_type="application/json"
    )
    assert (
        company.post(
            f"{API}/{sr.pk}/supply_info", {"note": "已补充"}, content_type="application/json"
        ).json()["status"]
        == "accepted"
    )
    done = officer.post(
        f"{API}/{sr.pk}/complete", {"result": "已调档"}, content_type="application/json"
    ).json()
    assert done["status"] == "completed" and done["result"] == "已调档"
    assert company.get(f"{API}/{sr.pk}").json()["result"] == "已调档"
    assert company.get(API, {"status": "completed"}).json()["count"] == 1


def test_a_request_without_commissioner_reminds_platform_staff(
    enterprise: Any, enterprise_user: Any, platform_staff: Any
) -> None:
    with time_machine.travel(at(9), tick=False):
        submit(enterprise_user)
    with time_machine.travel(at(11), tick=False):
        assert deadlines_sweep()["overdue"] == 1
    assert Notification.objects.filter(user=platform_staff, title="服务申请受理已超期").exists()


def test_platform_staff_see_the_coverage_gaps_on_the_workbench(
    enterprise: Any, platform_staff: Any
) -> None:
    from qifu.portal.workbench import panels_for

    panel = next(p for p in panels_for(platform_staff) if p.extra.get("kind") == "coverage")
    assert [c.value for c in panel.counters] == [1, 1]


def test_the_openapi_schema_lists_the_request_and_assignment_routes(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/workspace/requests/{request_id}/accept" in paths
    assert "/api/v1/workspace/assignments/handover" in paths


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_one_wins(
    served: Any, enterprise_user: Any, commissioner: Any
) -> None:
    import threading

    from django.db import connection

    sr = submit(enterprise_user)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        stale = ServiceRequest.objects.get(pk=sr.pk)
        barrier.wait()
        try:
            services.service_request_accept(user=commissioner, service_request=stale)
            outcomes.append("accepted")
        except services.TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert sr.events.filter(action="accept").count() == 1
