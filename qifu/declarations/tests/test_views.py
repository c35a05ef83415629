from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from qifu.declarations.models import Application, ApplicationStatus, Call, Objection
from qifu.declarations.services import application_finalise_due
from qifu.declarations.tests.conftest import MATERIAL, SHANGHAI, pdf
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_a_declaration_goes_from_call_to_publicity_through_the_pages(
    now: Any,
    client_for: Any,
    department_admin: Any,
    superuser: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
) -> None:
    department = client_for(department_admin)
    response = department.post(
        reverse("declarations:call_new"),
        {
            "title": "2026年度“专精特新”企业认定奖励申报",
            "body": "请符合条件的企业在线申报。",
            "opens_on": "2026-11-01",
            "closes_on": "2026-12-31",
            "materials": f"{MATERIAL}\n",
            "scales": ["small"],
            "min_employees": "10",
            "industries_text": "C13",
            "review_working_days": "5",
            "publicity_days": "5",
        },
    )
    call = Call.objects.get()
    assert response.status_code == 302
    assert call.required_materials == [MATERIAL]
    assert call.industries == ["C13"]
    assert call.criteria == {"scales": ["small"], "min_employees": 10}
    department.post(reverse("declarations:call_action", args=[call.pk, "submit"]))
    reviewer = client_for(superuser)
    reviewer.post(reverse("declarations:call_action", args=[call.pk, "approve"]))
    department.post(reverse("declarations:call_action", args=[call.pk, "publish"]))
    call.refresh_from_db()
    assert call.status == PublicationStatus.PUBLISHED

    company = client_for(enterprise_user)
    detail = company.get(reverse("declarations:call_detail", args=[call.pk]))
    assert "贵企业符合申报条件" in detail.content.decode()
    response = company.post(
        reverse("declarations:apply", args=[call.pk]),
        {"project_name": "海洋食品精深加工生产线", "amount": "50", "file_0": pdf(), "draft": ""},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == S.DRAFT
    assert application.files.get().material == MATERIAL
    response = company.post(
        reverse("declarations:apply", args=[call.pk]),
        {"project_name": "海洋食品精深加工生产线", "amount": "50", "submit": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED

    department.post(reverse("declarations:decide", args=[application.pk, "accept"]))
    department.post(reverse("declarations:decide", args=[application.pk, "approve"]))
    department.post(reverse("declarations:publish_results", args=[call.pk]))
    application.refresh_from_db()
    assert application.status == S.PUBLICIZED

    public = client_for(other_enterprise_user).get(reverse("declarations:publicity"))
    page = public.content.decode()
    assert enterprise_user.enterprise.name in page
    assert "50.00 万元" in page
    mine = company.get(reverse("declarations:application_detail", args=[application.pk]))
    for label in ("提交申报", "受理", "审核通过", "结果公示"):
        assert label in mine.content.decode()

    with time_machine.travel(dt.datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert application_finalise_due() == 1
    application.refresh_from_db()
    assert application.status == S.FINAL


def test_the_enterprise_sees_one_upload_per_required_material(
    call: Call, client_for: Any, enterprise_user: Any
) -> None:
    page = client_for(enterprise_user).get(reverse("declarations:apply", args=[call.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert f">{MATERIAL}</label>" in text
    assert 'name="file_0"' in text
    assert 'enctype="multipart/form-data"' in text


def test_the_department_sees_the_review_actions_and_the_call_editor(
    submitted: Application, client_for: Any, department_admin: Any
) -> None:
    department = client_for(department_admin)
    detail = department.get(reverse("declarations:application_detail", args=[submitted.pk]))
    text = detail.content.decode()
    assert "受理</button>" in text
    assert "退回补正</button>" in text
    editor = department.get(reverse("declarations:call_edit", args=[submitted.call_id]))
    assert editor.status_code == 200
    assert "编辑通知" in editor.content.decode()
    assert department.get(reverse("declarations:call_new")).status_code == 200


def test_a_returned_application_is_resubmitted_from_its_page(
    submitted: Application, client_for: Any, department_admin: Any, enterprise_user: Any
) -> None:
    department = client_for(department_admin)
    refused = department.post(
        reverse("declarations:decide", args=[submitted.pk, "return"]), {"reason": ""}
    )
    assert refused.status_code == 400
    assert "请填写理由" in refused.content.decode()
    department.post(
        reverse("declarations:decide", args=[submitted.pk, "return"]),
        {"reason": "请补充财务报表。"},
    )
    submitted.refresh_from_db()
    assert submitted.status == S.RETURNED
    company = client_for(enterprise_user)
    page = company.get(reverse("declarations:application_detail", args=[submitted.pk]))
    assert "请补充财务报表。" in page.content.decode()
    company.post(reverse("declarations:submit", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_an_ineligible_enterprise_sees_why_on_the_call_page(
    now: Any, publish_call: Any, client_for: Any, enterprise_user: Any
) -> None:
    call = publish_call(criteria={"min_employees": 500})
    page = client_for(enterprise_user).get(reverse("declarations:call_detail", args=[call.pk]))
    text = page.content.decode()
    assert "暂不符合申报条件" in text
    assert "我要申报" not in text


def test_submitting_outside_the_window_shows_the_reason(
    now: Any, publish_call: Any, client_for: Any, enterprise_user: Any
) -> None:
    call = publish_call(opens_on=dt.date(2026, 12, 1), closes_on=dt.date(2026, 12, 31))
    company = client_for(enterprise_user)
    response = company.post(
        reverse("declarations:apply", args=[call.pk]),
        {"project_name": "项目", "file_0": pdf(), "submit": ""},
        follow=True,
    )
    assert "当前不在申报期内" in response.content.decode()
    assert Application.objects.get().status == S.DRAFT


def test_the_public_list_shows_open_and_closed_calls(
    now: Any, publish_call: Any, client: Any
) -> None:
    publish_call(title="正在申报的通知")
    publish_call(
        title="已截止的通知", opens_on=dt.date(2026, 10, 1), closes_on=dt.date(2026, 10, 31)
    )
    page = client.get(reverse("declarations:calls")).content.decode()
    assert "正在申报的通知" in page
    assert "已截止的通知" in page
    assert page.index("正在申报的通知") < page.index("已截止的通知")


def test_anonymous_visitors_are_sent_to_sign_in(call: Call, client: Any) -> None:
    for url in (
        reverse("declarations:apply", args=[call.pk]),
        reverse("declarations:mine"),
        reverse("declarations:manage"),
        reverse("declarations:applications", args=[call.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_another_enterprise_gets_404_on_an_application(
    submitted: Application, client_for: Any, other_enterprise_user: Any
) -> None:
    other = client_for(other_enterprise_user)
    url = reverse("declarations:application_detail", args=[submitted.pk])
    assert other.get(url).status_code == 404
    assert other.post(reverse("declarations:submit", args=[submitted.pk])).status_code == 404


def test_a_department_of_another_call_gets_404(
    submitted: Application, client_for: Any, other_department_admin: Any
) -> None:
    other = client_for(other_department_admin)
    detail = reverse("declarations:application_detail", args=[submitted.pk])
    assert other.get(detail).status_code == 404
    accept = reverse("declarations:decide", args=[submitted.pk, "accept"])
    assert other.post(accept).status_code == 404
    listing = reverse("declarations:applications", args=[submitted.call_id])
    assert other.get(listing).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_the_department_does_not_see_a_draft_before_it_is_submitted(
    call: Call, client_for: Any, api_client_for: Any, enterprise_user: Any, department_admin: Any
) -> None:
    """A draft is the enterprise's until sent (found by the URL × role matrix, tests/matrix)."""
    from qifu.declarations.services import application_save_draft

    draft = application_save_draft(user=enterprise_user, call=call, project_name="草稿项目")
    page = reverse("declarations:application_detail", args=[draft.pk])
    assert client_for(department_admin).get(page).status_code == 404
    api = api_client_for(department_admin)
    assert api.get(f"/api/v1/declarations/applications/{draft.pk}").status_code == 404
    assert api.get("/api/v1/declarations/applications").json() == []
    assert client_for(enterprise_user).get(page).status_code == 200


def test_an_enterprise_on_department_pages_gets_403(
    submitted: Application, client_for: Any, enterprise_user: Any
) -> None:
    company = client_for(enterprise_user)
    assert company.get(reverse("declarations:manage")).status_code == 403
    assert company.get(reverse("declarations:call_new")).status_code == 403
    accept = reverse("declarations:decide", args=[submitted.pk, "accept"])
    assert company.post(accept).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_department_user_cannot_apply(call: Call, client_for: Any, department_admin: Any) -> None:
    response = client_for(department_admin).get(reverse("declarations:apply", args=[call.pk]))
    assert response.status_code == 403


def test_a_signed_in_user_files_an_objection_and_the_department_answers(
    approved: Application,
    client_for: Any,
    department_admin: Any,
    other_enterprise_user: Any,
) -> None:
    department = client_for(department_admin)
    department.post(reverse("declarations:publish_results", args=[approved.call_id]))
    objector = client_for(other_enterprise_user)
    empty = objector.post(reverse("declarations:object", args=[approved.pk]), {"reason": ""})
    assert empty.status_code == 400
    assert "请填写异议理由" in empty.content.decode()
    objector.post(reverse("declarations:object", args=[approved.pk]), {"reason": "数据不实。"})
    objection = Objection.objects.get()
    approved.refresh_from_db()
    assert approved.status == S.OBJECTION
    detail = department.get(reverse("declarations:application_detail", args=[approved.pk]))
    assert "数据不实。" in detail.content.decode()
    assert reverse("declarations:answer", args=[objection.pk]) in detail.content.decode()
    department.post(
        reverse("declarations:answer", args=[objection.pk]),
        {"upheld": "0", "answer": "经核实，信息属实。"},
    )
    approved.refresh_from_db()
    assert approved.status == S.PUBLICIZED


def test_anonymous_objections_are_sent_to_sign_in(approved: Application, client: Any) -> None:
    response = client.post(reverse("declarations:object", args=[approved.pk]), {"reason": "x"})
    assert response.status_code == 302
    assert not Objection.objects.exists()


def _many(call: Call, make_enterprise: Any, count: int, status: str) -> None:
    from qifu.accounts.models import User

    creator = User.objects.filter(enterprise__isnull=False).first() or User.objects.first()
    for n in range(count):
        Application.objects.create(
            enterprise=make_enterprise(),
            call=call,
            created_by=creator,
            project_name=f"项目{n}",
            status=status,
            publicity_ends_at=call.created_at,
        )


def test_list_pages_use_a_bounded_number_of_queries(
    call: Call,
    make_enterprise: Any,
    client_for: Any,
    client: Any,
    department_admin: Any,
    enterprise_user: Any,
    django_assert_max_num_queries: Any,
) -> None:
    department = client_for(department_admin)
    pages = [
        (client, reverse("declarations:calls")),
        (client, reverse("declarations:publicity")),
        (department, reverse("declarations:applications", args=[call.pk])),
        (department, reverse("declarations:manage")),
        (client_for(enterprise_user), reverse("declarations:mine")),
    ]

    def count_queries() -> list[int]:
        counts = []
        for viewer, url in pages:
            with django_assert_max_num_queries(20) as captured:
                assert viewer.get(url).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    for status in (S.PUBLICIZED, S.SUBMITTED):
        _many(call, make_enterprise, 2, status)
    count_queries()  # warm up sessions and caches
    few = count_queries()
    for status in (S.PUBLICIZED, S.SUBMITTED):
        _many(call, make_enterprise, 10, status)
    # Twelve times the rows, the same number of queries on every list.
    assert count_queries() == few


def test_a_declaration_call_posts_its_actions_under_publication(
    call: Any, department_admin: Any, client_for: Any
) -> None:
    page = client_for(department_admin).get(reverse("declarations:call_edit", args=[call.pk]))
    withdraw = reverse("declarations:call_action", args=[call.pk, "withdraw"])
    assert f'action="{withdraw}"' in page.content.decode()


def test_the_call_form_edits_criteria_field_by_field_without_json(
    client_for: Any, department_admin: Any
) -> None:
    department = client_for(department_admin)
    html = department.get(reverse("declarations:call_new")).content.decode()
    assert 'name="criteria"' not in html and "JSON" not in html
    assert 'name="min_employees"' in html and 'name="scales"' in html
    response = department.post(
        reverse("declarations:call_new"),
        {
            "title": "测试通知",
            "body": "正文",
            "opens_on": "2026-11-01",
            "closes_on": "2026-12-31",
            "min_employees": "50",
            "max_employees": "10",
            "review_working_days": "5",
            "publicity_days": "5",
        },
    )
    assert response.status_code == 400
    assert "不能小于“从业人数不少于（人）”" in response.content.decode()
    assert not Call.objects.exists()


def test_a_qualifying_enterprise_sees_apply_now_on_the_policy_of_an_open_call(
    publish_call: Any,
    department_admin: Any,
    superuser: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    client_for: Any,
    now: Any,
) -> None:
    from qifu.policies.tests.extras_helpers import published_policy

    policy = published_policy(department_admin, superuser, code="ZJTX-1")
    call = publish_call(policy=policy, criteria={})
    url = reverse("policies:detail", args=[policy.code])
    html = client_for(enterprise_user).get(url).content.decode()
    assert "立即申报" in html and reverse("declarations:call_detail", args=[call.pk]) in html
    # The policy has no criteria; a closed call offers nothing.
    Call.objects.filter(pk=call.pk).update(closes_on="2026-11-02")
    assert "立即申报" not in client_for(other_enterprise_user).get(url).content.decode()
