"""The appeal pages: who may see and do what, and the database effect of each action."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qifu.appeals import services
from qifu.appeals.models import (
    Appeal,
    AppealEvent,
    Attachment,
    Channel,
    Evaluation,
    Extension,
    ExtensionStatus,
    Stage,
)
from qifu.core.models import AuditEvent

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _real_png() -> bytes:
    # A real image: uploads are re-encoded (metadata scrub), so magic bytes alone are refused.
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


PNG = _real_png()


def pdf(name: str = "说明.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def new_form_data(category: Any, key: str = "k-1", **extra: Any) -> dict[str, Any]:
    data = {
        "category": category.pk,
        "title": "厂区门前道路破损影响货车通行",
        "content": "我公司门前道路破损严重，雨天积水，货车无法正常进出，请协调修复。",
        "contact_name": "张经理",
        "contact_phone": "13905310001",
        "idempotency_key": key,
    }
    data.update(extra)
    return data


def dispatched(appeal: Appeal, staff: Any, department: Any) -> Appeal:
    return services.appeal_dispatch(appeal=appeal, user=staff, department=department, note="请办理")


def responded(appeal: Appeal, staff: Any, department_user: Any) -> Appeal:
    dispatched(appeal, staff, department_user.department)
    return services.appeal_respond(
        appeal=appeal,
        user=department_user,
        result="已协调财政部门，奖补资金将于本月底前拨付到位。",
        contact={"way": "phone", "person": "张经理", "content": "电话了解情况。"},
    )


def act(client: Any, appeal: Appeal, action: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(reverse("appeals:act", args=[appeal.pk, action]), data or {})


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["appeals:mine", "appeals:new", "appeals:manage", "appeals:inbox", "appeals:record"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(client: Any, db: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_visitors_cannot_open_an_appeal_or_its_files(
    client: Any, make_appeal: Any
) -> None:
    appeal = make_appeal()
    for url in (
        reverse("appeals:detail", args=[appeal.pk]),
        reverse("appeals:attachment", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert act(client, appeal, "evaluate").status_code == 302


@pytest.mark.parametrize("name", ["appeals:manage", "appeals:record", "appeals:inbox"])
def test_an_enterprise_user_is_refused_the_staff_and_department_pages(
    client_for: Any, enterprise_user: Any, name: str
) -> None:
    assert client_for(enterprise_user).get(reverse(name)).status_code == 403


def test_a_department_is_taken_to_its_inbox_and_the_platform_to_its_list(
    client_for: Any, department_admin: Any, platform_staff: Any
) -> None:
    department = client_for(department_admin)
    assert department.get(reverse("appeals:manage"))["Location"] == reverse("appeals:inbox")
    assert department.get(reverse("appeals:record")).status_code == 403
    assert client_for(platform_staff).get(reverse("appeals:inbox"))["Location"] == reverse(
        "appeals:manage"
    )


def test_another_enterprise_gets_404_on_the_detail_the_evaluation_and_the_files(
    client_for: Any, make_appeal: Any, other_enterprise_user: Any, enterprise_user: Any
) -> None:
    appeal = make_appeal()
    attachment = services.appeal_attachments_add(
        appeal=appeal, user=enterprise_user, files=[pdf()]
    )[0]
    client = client_for(other_enterprise_user)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert client.get(reverse("appeals:attachment", args=[attachment.pk])).status_code == 404
    response = act(client, appeal, "evaluate", {"evaluate-level": "satisfied", "evaluate-score": 5})
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


def test_another_department_gets_404_on_an_appeal_dispatched_elsewhere(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department_admin: Any,
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department)
    client = client_for(other_department_admin)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert act(client, appeal, "accept").status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).accepted_at is None


def test_an_enterprise_cannot_run_a_staff_action_on_its_own_appeal(
    client_for: Any, make_appeal: Any, enterprise_user: Any, department: Any
) -> None:
    appeal = make_appeal()
    response = act(
        client_for(enterprise_user), appeal, "dispatch", {"dispatch-department": department.pk}
    )
    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.RECEIVED


# --- the enterprise ----------------------------------------------------------------------------


def test_the_new_form_is_prefilled_with_the_enterprise_contact_and_carries_a_key(
    client_for: Any, enterprise_user: Any, category: Any
) -> None:
    response = client_for(enterprise_user).get(reverse("appeals:new"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["contact_phone"] == "13805310001"
    assert len(form.initial["idempotency_key"]) == 32
    assert 'name="idempotency_key"' in response.content.decode()


def test_filing_creates_the_appeal_with_its_attachments_and_shows_it(
    client_for: Any, enterprise_user: Any, category: Any
) -> None:
    client = client_for(enterprise_user)
    files = [
        pdf(),
        SimpleUploadedFile("现场.png", PNG),
        SimpleUploadedFile("清单.xlsx", xlsx_bytes()),
    ]
    response = client.post(
        reverse("appeals:new"), {**new_form_data(category), "attachments": files}
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])
    assert appeal.enterprise == enterprise_user.enterprise
    assert appeal.channel == Channel.WEB
    assert sorted(appeal.attachments.values_list("content_type", flat=True)) == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "image/png",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "厂区门前道路破损影响货车通行" in page and "说明.pdf" in page


def test_a_double_submit_with_the_same_key_creates_one_appeal(
    client_for: Any, enterprise_user: Any, category: Any
) -> None:
    client = client_for(enterprise_user)
    first = client.post(reverse("appeals:new"), {**new_form_data(category), "attachments": [pdf()]})
    second = client.post(
        reverse("appeals:new"), {**new_form_data(category), "attachments": [pdf()]}
    )
    assert Appeal.objects.count() == 1
    assert Attachment.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert any("未重复提交" in m for m in messages_of(second))


def test_an_exe_renamed_pdf_is_refused_next_to_the_field_in_chinese(
    client_for: Any, enterprise_user: Any, category: Any
) -> None:
    exe = SimpleUploadedFile(
        "发票.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="application/pdf"
    )
    response = client_for(enterprise_user).post(
        reverse("appeals:new"), {**new_form_data(category), "attachments": [exe]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_attachments_error"' in html
    assert "“发票.pdf”的内容不是PDF、JPG、PNG、Word、Excel文件" in html
    assert not Appeal.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(
    client_for: Any, enterprise_user: Any, category: Any
) -> None:
    big = pdf("大文件.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = client_for(enterprise_user).post(
        reverse("appeals:new"), {**new_form_data(category), "attachments": [big]}
    )
    assert response.status_code == 400
    assert "超过10MB" in response.context["form"].errors["attachments"][0]
    assert not Appeal.objects.exists()


def test_a_word_file_must_be_named_as_one_and_six_files_are_too_many(
    client_for: Any, enterprise_user: Any, category: Any
) -> None:
    client = client_for(enterprise_user)
    renamed = SimpleUploadedFile("表格.pdf", xlsx_bytes())
    response = client.post(
        reverse("appeals:new"), {**new_form_data(category), "attachments": [renamed]}
    )
    assert "内容与扩展名不符" in response.content.decode()
    response = client.post(
        reverse("appeals:new"),
        {**new_form_data(category, key="k-2"), "attachments": [pdf(f"{i}.pdf") for i in range(6)]},
    )
    assert "每次最多上传5个文件" in response.content.decode()
    assert not Appeal.objects.exists()


def test_missing_fields_are_shown_next_to_the_field(
    client_for: Any, enterprise_user: Any, category: Any
) -> None:
    response = client_for(enterprise_user).post(
        reverse("appeals:new"), new_form_data(category, title="")
    )
    assert response.status_code == 400
    assert 'id="id_title_error"' in response.content.decode()
    assert "这个字段是必填项" in response.content.decode()


def test_my_appeals_lists_only_my_enterprise_appeals_with_their_stage(
    client_for: Any,
    make_appeal: Any,
    other_enterprise_user: Any,
    category: Any,
    enterprise_user: Any,
) -> None:
    mine = make_appeal(title="我公司的诉求")
    make_appeal(user=other_enterprise_user, title="别人家的诉求")
    response = client_for(enterprise_user).get(reverse("appeals:mine"))
    html = response.content.decode()
    assert [a.pk for a in response.context["rows"]] == [mine.pk]
    assert "我公司的诉求" in html and "别人家的诉求" not in html
    assert "录入" in html


def test_the_enterprise_sees_the_public_timeline_but_not_internal_notes_or_files(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    appeal = make_appeal()
    services.appeal_triage(
        appeal=appeal,
        user=platform_staff,
        category=appeal.category,
        department=department_admin.department,
        note="研判：归工信局",
    )
    appeal = dispatched(appeal, platform_staff, department_admin.department)
    event = services.appeal_note(appeal=appeal, user=department_admin, note="内部：需财政配合")
    internal = services.appeal_attachments_add(
        appeal=appeal, user=department_admin, files=[pdf("内部.pdf")], is_public=False, event=event
    )[0]
    client = client_for(enterprise_user)
    html = client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    assert "提交诉求" in html and "派发" in html and "工业和信息化局" in html
    assert "需财政配合" not in html and "研判：归工信局" not in html and "内部.pdf" not in html
    assert client.get(reverse("appeals:attachment", args=[internal.pk])).status_code == 404
    staff_view = client_for(platform_staff).get(reverse("appeals:attachment", args=[internal.pk]))
    assert staff_view.status_code == 200


def test_an_attachment_downloads_as_a_file_for_its_enterprise(
    client_for: Any, make_appeal: Any, enterprise_user: Any
) -> None:
    appeal = make_appeal()
    attachment = services.appeal_attachments_add(
        appeal=appeal, user=enterprise_user, files=[pdf("合同.pdf")]
    )[0]
    response = client_for(enterprise_user).get(reverse("appeals:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E5%90%88%E5%90%8C.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_the_enterprise_evaluates_a_responded_appeal(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    client = client_for(enterprise_user)
    assert (
        "评价办理结果" in client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    )
    response = act(
        client,
        appeal,
        "evaluate",
        {"evaluate-level": "basic", "evaluate-score": "4", "evaluate-comment": "还行"},
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    assert (evaluation.source, evaluation.satisfaction, evaluation.score) == (
        "enterprise",
        "basic",
        4,
    )
    # Still waiting for the platform's 电话回访, which the online rating does not replace.
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.RESPONDED


def test_evaluating_before_the_response_shows_the_conflict_message(
    client_for: Any, make_appeal: Any, enterprise_user: Any
) -> None:
    appeal = make_appeal()
    response = act(
        client_for(enterprise_user),
        appeal,
        "evaluate",
        {"evaluate-level": "satisfied", "evaluate-score": "5"},
    )
    assert response.status_code == 302
    assert any("不能执行“企业评价”" in m for m in messages_of(response))
    assert not Evaluation.objects.exists()


def test_an_invalid_evaluation_shows_the_error_next_to_the_field(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    response = act(client_for(enterprise_user), appeal, "evaluate", {"evaluate-score": "9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_evaluate-level_error"' in html and 'id="id_evaluate-score_error"' in html


# --- platform staff ----------------------------------------------------------------------------


def test_staff_record_a_phone_appeal_for_an_enterprise_found_by_credit_code(
    client_for: Any, platform_staff: Any, enterprise: Any, category: Any, enterprise_user: Any
) -> None:
    received = dt.datetime(2026, 11, 20, 9, 30, tzinfo=SH)
    response = client_for(platform_staff).post(
        reverse("appeals:record"),
        {
            **new_form_data(category),
            "enterprise": enterprise.credit_code.lower(),
            "channel": "phone",
            "received_at": "2026-11-20T09:30",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert (appeal.enterprise, appeal.channel, appeal.received_at) == (
        enterprise,
        "phone",
        received,
    )
    assert appeal.events.get().action == "record"
    mine = client_for(enterprise_user).get(reverse("appeals:mine"))
    assert [a.pk for a in mine.context["rows"]] == [appeal.pk]


def test_recording_for_an_unknown_enterprise_or_a_future_time_is_refused(
    client_for: Any, platform_staff: Any, enterprise: Any, category: Any
) -> None:
    response = client_for(platform_staff).post(
        reverse("appeals:record"),
        {
            **new_form_data(category),
            "enterprise": "不存在的公司",
            "channel": "phone",
            "received_at": "2099-01-01T09:00",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "未找到该企业" in errors["enterprise"][0]
    assert "不能晚于当前时间" in errors["received_at"][0]


def test_the_enterprise_search_offers_matching_enterprises(
    client_for: Any, platform_staff: Any, enterprise: Any, other_enterprise: Any
) -> None:
    response = client_for(platform_staff).get(
        reverse("appeals:enterprise_options"), {"enterprise": "海润"}
    )
    html = response.content.decode()
    assert enterprise.credit_code in html and other_enterprise.name not in html


def test_staff_triage_proposes_the_category_department_and_dispatch_sends_it(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department: Any,
) -> None:
    appeal = make_appeal()
    client = client_for(platform_staff)
    page = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "类别默认承办部门" in page.content.decode()
    assert page.context["actions"]["dispatch"].initial["department"] == department.pk
    response = act(
        client,
        appeal,
        "dispatch",
        {
            "dispatch-category": appeal.category_id,
            "dispatch-conclusion": "属工信局技改奖补职责",
            "dispatch-department": department.pk,
            "dispatch-note": "请3日内答复",
            "dispatch-co_departments": [other_department.pk],
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.department) == (Stage.DISPATCHED, department)
    assert list(appeal.assignments.get().co_departments.all()) == [other_department]
    # One form, both stages on the record: who judged and what, then the dispatch.
    triage, dispatch = appeal.events.filter(action__in=["triage", "dispatch"]).order_by("id")
    assert (triage.action, triage.to_state, dispatch.action) == ("triage", "triaged", "dispatch")
    assert triage.actor == platform_staff and triage.data["conclusion"] == "属工信局技改奖补职责"


def test_a_second_dispatch_of_the_same_appeal_shows_a_conflict_not_a_crash(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department: Any,
) -> None:
    appeal = make_appeal()
    client = client_for(platform_staff)
    act(
        client,
        appeal,
        "dispatch",
        {"dispatch-category": appeal.category_id, "dispatch-department": department.pk},
    )
    response = act(
        client,
        appeal,
        "dispatch",
        {"dispatch-category": appeal.category_id, "dispatch-department": other_department.pk},
    )
    assert response.status_code == 302
    assert any("可能已被他人处理" in m for m in messages_of(response))
    appeal.refresh_from_db()
    assert (appeal.department, appeal.dispatch_count) == (department, 1)
    followed = client.get(response["Location"]).content.decode()
    assert "可能已被他人处理" in followed


def test_staff_save_a_triage(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    other_category: Any,
    other_department: Any,
) -> None:
    appeal = make_appeal()
    act(
        client_for(platform_staff),
        appeal,
        "triage",
        {
            "triage-category": other_category.pk,
            "triage-department": other_department.pk,
        },
    )
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.category, appeal.department) == (
        Stage.TRIAGED,
        other_category,
        other_department,
    )


def test_staff_merge_a_duplicate_into_the_open_appeal_it_repeats(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    first = make_appeal()
    duplicate = make_appeal(title="技改设备奖补资金迟迟未到账，请再次协调")
    client = client_for(platform_staff)
    page = client.get(reverse("appeals:detail", args=[duplicate.pk]))
    assert [d.appeal.pk for d in page.context["duplicates"]] == [first.pk]
    response = act(client, duplicate, "merge", {"merge-into": first.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.stage, duplicate.merged_into) == (Stage.CLOSED, first)
    assert first.events.filter(action="merge").exists()


def test_staff_follow_up_and_then_close(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    client = client_for(platform_staff)
    act(
        client,
        appeal,
        "followup",
        {
            "followup-way": "phone",
            "followup-person": "张经理",
            "followup-level": "satisfied",
            "followup-score": "5",
            "followup-comment": "企业表示满意",
        },
    )
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.FOLLOWED_UP
    act(client, appeal, "close", {"close-note": "办结"})
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.CLOSED


def test_an_unsatisfied_follow_up_sends_the_appeal_back_to_triage(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    act(
        client_for(platform_staff),
        appeal,
        "followup",
        {
            "followup-way": "phone",
            "followup-person": "张经理",
            "followup-level": "unsatisfied",
            "followup-score": "1",
            "followup-close": "on",
        },
    )
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.TRIAGED


def test_staff_supervise_an_appeal_by_hand(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    appeal = make_appeal()
    act(client_for(platform_staff), appeal, "supervise", {"supervise-note": "领导批示督办"})
    assert Appeal.objects.get(pk=appeal.pk).is_supervised


def test_staff_approve_a_pending_extension(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    extension = services.appeal_extension_request(
        appeal=appeal, user=department_admin, working_days=2, reason="需要现场勘验"
    )
    client = client_for(platform_staff)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).context["decisions"]
    prefix = f"decide-{extension.pk}"
    response = act(
        client,
        appeal,
        "decide",
        {
            "extension_id": extension.pk,
            f"{prefix}-extension": extension.pk,
            f"{prefix}-approve": "1",
            f"{prefix}-note": "同意",
        },
    )
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    refreshed = Appeal.objects.get(pk=appeal.pk)
    assert refreshed.extended_due_at == extension.new_due_at
    assert refreshed.respond_due_at < extension.new_due_at


# --- the department ----------------------------------------------------------------------------


def test_the_department_accepts_contacts_and_responds_with_a_file(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    client = client_for(department_admin)
    assert "签收" in client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    act(client, appeal, "accept")
    assert Appeal.objects.get(pk=appeal.pk).accepted_at is not None
    act(
        client,
        appeal,
        "contact",
        {
            "contact-way": "phone",
            "contact-person": "张经理",
            "contact-content": "已电话联系张经理，约定明日上门",
        },
    )
    assert appeal.assignments.get().first_contact_at is not None
    response = client.post(
        reverse("appeals:act", args=[appeal.pk, "respond"]),
        {
            "respond-result": "已协调财政局，奖补资金已于今日拨付到企业账户。",
            "respond-attachments": [pdf("拨付凭证.pdf")],
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.stage == Stage.RESPONDED
    attachment = Attachment.objects.get()
    assert attachment.is_public and attachment.event.action == "respond"
    html = client_for(enterprise_user).get(reverse("appeals:detail", args=[appeal.pk]))
    assert "拨付凭证.pdf" in html.content.decode()


def test_the_department_returns_a_misrouted_order_with_a_reason(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    client = client_for(department_admin)
    response = act(client, appeal, "return", {"return-reason": "短"})
    assert response.status_code == 400
    assert 'id="id_return-reason_error"' in response.content.decode()
    act(client, appeal, "return", {"return-reason": "属于住建局职责，请改派住建局"})
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.department) == (Stage.TRIAGED, None)


def test_the_department_asks_for_an_extension(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    act(
        client_for(department_admin),
        appeal,
        "extend",
        {"extend-working_days": "3", "extend-reason": "需协调省级部门"},
    )
    assert Extension.objects.get().working_days == 3


def test_accepting_an_already_responded_appeal_shows_the_conflict(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    response = act(client_for(department_admin), appeal, "accept")
    assert response.status_code == 302
    assert any("不能执行“签收”" in m for m in messages_of(response))


def test_an_internal_note_by_the_department_is_recorded_as_internal(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    act(client_for(department_admin), appeal, "note", {"note-note": "需与财政局会商"})
    event = AppealEvent.objects.get(action="note")
    assert not event.is_public


def test_the_inbox_lists_what_was_dispatched_to_the_department_only(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department: Any,
    department_admin: Any,
) -> None:
    mine = dispatched(make_appeal(title="归我部门"), platform_staff, department)
    dispatched(make_appeal(title="归住建局"), platform_staff, other_department)
    make_appeal(title="尚未派发")
    response = client_for(department_admin).get(reverse("appeals:inbox"))
    assert [a.pk for a in response.context["rows"]] == [mine.pk]


# --- lists: filters, marks, counts, export, query counts ---------------------------------------


def test_the_staff_list_filters_by_stage_and_text_and_counts_per_stage(
    client_for: Any, make_appeal: Any, platform_staff: Any, department: Any
) -> None:
    dispatched(make_appeal(title="道路破损"), platform_staff, department)
    make_appeal(title="用电报装")
    client = client_for(platform_staff)
    response = client.get(reverse("appeals:manage"), {"stage": "received"})
    assert [a.title for a in response.context["rows"]] == ["用电报装"]
    assert response.context["counts"]["received"] == 1
    assert response.context["counts"]["dispatched"] == 1
    response = client.get(reverse("appeals:manage"), {"q": "道路"})
    assert [a.title for a in response.context["rows"]] == ["道路破损"]
    response = client.get(reverse("appeals:manage"), {"department": department.code})
    assert [a.title for a in response.context["rows"]] == ["道路破损"]


def test_the_staff_list_marks_due_soon_yellow_and_overdue_red(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    # Tuesday 24 November 2026, a working day: filed at 10:00, due for dispatch at 17:00.
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SH), tick=False):
        make_appeal()
        response = client_for(platform_staff).get(reverse("appeals:manage"))
        assert response.context["rows"][0].mark == "soon"
        assert "即将到期" in response.content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 24, 18, 0, tzinfo=SH), tick=False):
        response = client_for(platform_staff).get(reverse("appeals:manage"))
        assert response.context["rows"][0].mark == "overdue"
        overdue = client_for(platform_staff).get(reverse("appeals:manage"), {"overdue": "1"})
        assert len(overdue.context["rows"]) == 1


def test_the_staff_list_sorts_by_the_soonest_deadline_first(
    client_for: Any, make_appeal: Any, platform_staff: Any, department: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH), tick=False):
        later = dispatched(make_appeal(title="三天后应答"), platform_staff, department)
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SH), tick=False):
        sooner = make_appeal(title="今日派发")
        response = client_for(platform_staff).get(reverse("appeals:manage"))
    assert [a.pk for a in response.context["rows"]] == [sooner.pk, later.pk]


def test_the_export_is_an_audited_workbook_with_masked_phones(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    from openpyxl import load_workbook

    make_appeal(contact_phone="13905310001")
    response = client_for(platform_staff).get(reverse("appeals:manage"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "139****0001" in values and "13905310001" not in values
    assert AuditEvent.objects.filter(action="appeals.export", actor=platform_staff).exists()


def test_an_enterprise_cannot_export(client_for: Any, enterprise_user: Any) -> None:
    response = client_for(enterprise_user).get(reverse("appeals:manage"), {"format": "xlsx"})
    assert response.status_code == 403


def _many(make_appeal: Any, n: int, staff: Any, department: Any) -> None:
    for i in range(n):
        appeal = make_appeal(title=f"诉求{i}")
        if i % 2:
            dispatched(appeal, staff, department)


@pytest.mark.parametrize("n", [3, 30])
def test_the_three_lists_run_a_bounded_number_of_queries(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    department_admin: Any,
    enterprise_user: Any,
    django_assert_max_num_queries: Any,
    n: int,
) -> None:
    _many(make_appeal, n, platform_staff, department)
    cases = [
        (platform_staff, "appeals:manage"),
        (department_admin, "appeals:inbox"),
        (enterprise_user, "appeals:mine"),
    ]
    for user, name in cases:
        client = client_for(user)
        client.get(reverse(name))  # warm the session and the calendar
        with django_assert_max_num_queries(14):
            response = client.get(reverse(name))
        assert response.status_code == 200


# --- workbench and admin -----------------------------------------------------------------------


def test_the_workbench_shows_real_appeal_counts_per_role(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    make_appeal()
    dispatched(make_appeal(), platform_staff, department_admin.department)
    responded(make_appeal(), platform_staff, department_admin)

    def counters(user: Any) -> dict[str, int]:
        panels = client_for(user).get(reverse("portal:workbench")).context["panels"]
        return {
            c.label: c.value for p in panels if p.extra.get("kind") == "appeals" for c in p.counters
        }

    assert counters(enterprise_user) == {"办理中": 3, "待我评价": 1}
    staff = counters(platform_staff)
    assert (staff["待研判派发"], staff["待回访"]) == (1, 1)
    assert counters(department_admin)["待签收"] == 1
    assert counters(department_admin)["办理中"] == 1


def test_the_admin_lists_appeals_read_only_and_edits_categories(
    client_for: Any, make_appeal: Any, superuser: Any, category: Any
) -> None:
    appeal = make_appeal()
    client = client_for(superuser)
    assert client.get(reverse("admin:appeals_appeal_changelist")).status_code == 200
    page = client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
    assert page.status_code == 200 and "提交诉求" in page.content.decode()
    assert (
        client.post(
            reverse("admin:appeals_appeal_change", args=[appeal.pk]), {"title": "改"}
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:appeals_appealcategory_change", args=[category.pk])).status_code
        == 200
    )


def test_merging_into_another_enterprise_appeal_is_refused_with_a_message(
    client_for: Any, make_appeal: Any, platform_staff: Any, other_enterprise_user: Any
) -> None:
    duplicate = make_appeal()
    foreign = make_appeal(user=other_enterprise_user)
    response = act(client_for(platform_staff), duplicate, "merge", {"merge-into": foreign.pk})
    assert response.status_code == 302
    assert any("只能合并同一企业的诉求" in m for m in messages_of(response))
    assert Appeal.objects.get(pk=duplicate.pk).merged_into is None


# --- the attachment service --------------------------------------------------------------------


def test_only_the_enterprise_the_handling_department_and_staff_may_attach_files(
    make_appeal: Any,
    other_enterprise_user: Any,
    other_department_admin: Any,
    platform_staff: Any,
) -> None:
    from django.core.exceptions import PermissionDenied

    appeal = make_appeal()
    for outsider in (other_enterprise_user, other_department_admin):
        with pytest.raises(PermissionDenied):
            services.appeal_attachments_add(appeal=appeal, user=outsider, files=[pdf()])
    assert services.appeal_attachments_add(appeal=appeal, user=platform_staff, files=[pdf()])


def test_an_enterprise_cannot_hide_a_file_from_the_department(
    make_appeal: Any, enterprise_user: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appeal_attachments_add(
            appeal=make_appeal(), user=enterprise_user, files=[pdf()], is_public=False
        )


def test_the_service_checks_each_file_by_content_and_audits_the_upload(
    make_appeal: Any, enterprise_user: Any
) -> None:
    from django.core.exceptions import ValidationError

    appeal = make_appeal()
    with pytest.raises(ValidationError) as refused:
        services.appeal_attachments_add(
            appeal=appeal,
            user=enterprise_user,
            files=[pdf(), SimpleUploadedFile("a.pdf", b"plain text, not a pdf")],
        )
    assert "attachments" in refused.value.message_dict
    assert not Attachment.objects.exists()
    services.appeal_attachments_add(appeal=appeal, user=enterprise_user, files=[pdf("x.pdf")])
    stored = Attachment.objects.get()
    assert stored.file.name.endswith(".pdf") and "x.pdf" not in stored.file.name
    assert AuditEvent.objects.filter(action="appeals.attachments_add").exists()
