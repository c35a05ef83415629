"""The appeal pages as the enterprise uses them: filing, its list, timeline, files, evaluation."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qifu.appeals import services
from qifu.appeals.models import (
    Appeal,
    Attachment,
    Channel,
    Evaluation,
    Stage,
)
from qifu.appeals.tests.pages import (
    PDF,
    PNG,
    act,
    dispatched,
    messages_of,
    new_form_data,
    pdf,
    responded,
    xlsx_bytes,
)

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
