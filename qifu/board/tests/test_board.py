from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.urls import reverse

from qifu.appeals.models import Appeal, AppealEvent, Channel
from qifu.appeals.selectors import appeal_list
from qifu.board import services
from qifu.board.models import Message, MessageStatus
from qifu.board.tests.conftest import sent_code
from qifu.core.models import AuditEvent
from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db

PHONE = "13705310002"


def _visitor_form(**extra: Any) -> dict[str, Any]:
    data = {
        "visitor_name": "刘女士",
        "company_name": "荣成市海之源水产有限公司",
        "credit_code": "",
        "phone": PHONE,
        "code": "",
        "title": "冷库用电增容咨询",
        "content": "我公司新建冷库需要增容用电，请问如何办理？",
        "action": "submit",
    }
    data.update(extra)
    return data


def _visitor_message(category: Any = None, **extra: Any) -> Message:
    from qifu.notifications.sms import MemoryBackend

    services.message_code_send(phone=PHONE)
    fields = {
        "user": None,
        "title": "冷库用电增容咨询",
        "content": "请问如何办理？",
        "category": category,
        "visitor_name": "刘女士",
        "company_name": "荣成市海之源水产有限公司",
        "phone": PHONE,
        "code": sent_code(MemoryBackend.outbox, PHONE),
    }
    fields.update(extra)
    return services.message_leave(**fields)


def _enterprise_message(user: Any, **extra: Any) -> Message:
    fields = {"user": user, "title": "申请奖补资金", "content": "技改奖补迟迟未到账。"}
    fields.update(extra)
    return services.message_leave(**fields)


# --- leaving a message --------------------------------------------------------------------------


def test_a_visitor_verifies_the_phone_by_sms_and_leaves_a_message(
    client: Any, sms: Any, category: Any
) -> None:
    url = reverse("board:new")
    assert client.get(url).status_code == 200
    sent = client.post(url, _visitor_form(action="send_code", title=""))
    assert sent.status_code == 200
    assert "验证码已发送" in sent.content.decode()
    code = sent_code(sms, PHONE)
    response = client.post(url, _visitor_form(code=code, category=category.pk))
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("board:detail", args=[message.pk])
    assert message.enterprise is None and message.created_by is None
    assert message.phone == PHONE and message.phone_verified_at is not None
    assert message.number.startswith("LY")
    assert message.status == MessageStatus.NEW and not message.is_public
    # The visitor sees the message in this session without an account.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert message.number in page.content.decode()
    assert AuditEvent.objects.filter(action="board.message.leave").exists()


def test_a_wrong_code_shows_the_error_next_to_the_code_field(client: Any, sms: Any) -> None:
    url = reverse("board:new")
    client.post(url, _visitor_form(action="send_code"))
    response = client.post(
        url, _visitor_form(code="000000" if sent_code(sms, PHONE) != "000000" else "111111")
    )
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert "验证码不正确" in response.content.decode()
    assert not Message.objects.exists()


def test_a_visitor_without_a_code_is_refused(client: Any) -> None:
    response = client.post(reverse("board:new"), _visitor_form())
    assert response.status_code == 200
    assert "请填写短信验证码" in response.content.decode()
    assert not Message.objects.exists()


def test_a_second_code_within_a_minute_is_refused(client: Any, sms: Any) -> None:
    url = reverse("board:new")
    client.post(url, _visitor_form(action="send_code"))
    again = client.post(url, _visitor_form(action="send_code"))
    assert "验证码发送过于频繁" in again.content.decode()
    assert len([m for m in sms if m.phone == PHONE]) == 1


def test_a_bad_phone_gets_no_code(client: Any, sms: Any) -> None:
    response = client.post(reverse("board:new"), _visitor_form(action="send_code", phone="123"))
    assert 'id="id_phone_error"' in response.content.decode()
    assert sms == []


def test_an_enterprise_user_leaves_a_message_without_a_code(
    enterprise_user: Any, client_for: Any
) -> None:
    client = client_for(enterprise_user)
    page = client.get(reverse("board:new"))
    assert "短信验证码" not in page.content.decode()
    response = client.post(
        reverse("board:new"), {"title": "申请奖补资金", "content": "技改奖补迟迟未到账。"}
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert message.enterprise == enterprise_user.enterprise
    assert message.created_by == enterprise_user
    mine = client.get(reverse("board:mine"))
    assert "申请奖补资金" in mine.content.decode()
    assert client.get(reverse("board:detail", args=[message.pk])).status_code == 200


def test_an_empty_message_shows_errors_next_to_the_fields(
    enterprise_user: Any, client_for: Any
) -> None:
    response = client_for(enterprise_user).post(reverse("board:new"), {"title": "", "content": ""})
    body = response.content.decode()
    assert "请填写标题" in body and "请填写留言内容" in body
    assert not Message.objects.exists()


# --- staff answer -------------------------------------------------------------------------------


def test_staff_answer_and_the_enterprise_author_is_notified_in_app(
    enterprise_user: Any, platform_staff: Any, client_for: Any
) -> None:
    message = _enterprise_message(enterprise_user)
    client = client_for(platform_staff)
    response = client.post(
        reverse("board:answer", args=[message.pk]), {"answer": "奖补资金已于本周拨付。"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.ANSWERED
    assert message.answered_by == platform_staff and message.answered_at is not None
    note = Notification.objects.get(user=enterprise_user)
    assert message.title in note.title
    assert note.url == reverse("board:detail", args=[message.pk])
    page = client_for(enterprise_user).get(reverse("board:detail", args=[message.pk]))
    assert "奖补资金已于本周拨付" in page.content.decode()
    assert AuditEvent.objects.filter(action="board.message.answer").exists()


def test_staff_answer_to_a_visitor_goes_by_sms(
    platform_staff: Any, sms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    message = _visitor_message()
    sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.message_answer(message=message, user=platform_staff, answer="请到供电公司办理。")
    [text] = [m.text for m in sms if m.phone == PHONE]
    assert message.number in text and "请到供电公司办理" in text


def test_an_empty_answer_shows_the_error_and_changes_nothing(
    enterprise_user: Any, platform_staff: Any, client_for: Any
) -> None:
    message = _enterprise_message(enterprise_user)
    response = client_for(platform_staff).post(
        reverse("board:answer", args=[message.pk]), {"answer": ""}
    )
    assert response.status_code == 200
    assert "请填写答复内容" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.NEW


def test_a_message_is_answered_only_once(enterprise_user: Any, platform_staff: Any) -> None:
    from django.core.exceptions import ValidationError

    message = _enterprise_message(enterprise_user)
    services.message_answer(message=message, user=platform_staff, answer="第一次")
    with pytest.raises(ValidationError):
        services.message_answer(message=message, user=platform_staff, answer="第二次")


# --- turning it into a work order ---------------------------------------------------------------


def test_staff_turn_a_message_into_an_appeal_linked_both_ways(
    enterprise_user: Any, platform_staff: Any, client_for: Any, category: Any
) -> None:
    with time_machine.travel("2026-11-26 09:00 +08:00", tick=False):
        message = _enterprise_message(enterprise_user)
    client = client_for(platform_staff)
    form = client.get(reverse("board:convert", args=[message.pk]))
    assert form.context["form"]["enterprise"].value() == enterprise_user.enterprise.credit_code
    response = client.post(
        reverse("board:convert", args=[message.pk]),
        {
            "category": category.pk,
            "enterprise": enterprise_user.enterprise.credit_code,
            "title": message.title,
            "content": message.content,
        },
    )
    assert response.status_code == 302
    message.refresh_from_db()
    appeal = message.appeal
    assert message.status == MessageStatus.CONVERTED
    assert appeal.channel == Channel.MESSAGE
    assert appeal.enterprise == enterprise_user.enterprise
    assert appeal.received_at == message.created_at
    assert message.number in appeal.content
    assert AppealEvent.objects.filter(appeal=appeal, action="note", is_public=False).exists()
    assert list(appeal.board_messages.all()) == [message]
    # The enterprise sees the work order among its own appeals.
    assert appeal in appeal_list(user=enterprise_user)
    assert Notification.objects.filter(user=enterprise_user, title__contains="转为诉求").exists()
    # Converting twice is refused.
    again = client.get(reverse("board:convert", args=[message.pk]))
    assert again.status_code == 302
    assert Appeal.objects.count() == 1


def test_converting_a_visitor_message_prefills_its_credit_code(
    platform_staff: Any, client_for: Any, enterprise: Any, category: Any
) -> None:
    message = _visitor_message(credit_code=enterprise.credit_code, category=category)
    form = client_for(platform_staff).get(reverse("board:convert", args=[message.pk]))
    assert form.context["form"]["enterprise"].value() == enterprise.credit_code
    assert str(form.context["form"]["category"].value()) == str(category.pk)


def test_converting_needs_an_enterprise_known_to_the_platform(
    enterprise_user: Any, platform_staff: Any, client_for: Any, category: Any
) -> None:
    message = _visitor_message()
    response = client_for(platform_staff).post(
        reverse("board:convert", args=[message.pk]),
        {"category": category.pk, "enterprise": "", "title": "t", "content": "c"},
    )
    assert response.status_code == 200
    assert 'id="id_enterprise_error"' in response.content.decode()
    assert not Appeal.objects.exists()


# --- staff list ---------------------------------------------------------------------------------


def test_staff_list_messages_filtered_by_status(
    enterprise_user: Any, platform_staff: Any, client_for: Any
) -> None:
    answered = _enterprise_message(enterprise_user, title="已答复的留言")
    _enterprise_message(enterprise_user, title="待答复的留言")
    services.message_answer(message=answered, user=platform_staff, answer="好")
    client = client_for(platform_staff)
    everything = client.get(reverse("board:manage")).content.decode()
    assert "已答复的留言" in everything and "待答复的留言" in everything
    new_only = client.get(reverse("board:manage"), {"status": "new"}).content.decode()
    assert "待答复的留言" in new_only and "已答复的留言" not in new_only
    assert "13900000001" not in everything  # phones are masked in the list


# --- visitor lookup -----------------------------------------------------------------------------


def test_a_visitor_looks_a_message_up_by_number_and_phone_code(client: Any, sms: Any) -> None:
    with time_machine.travel("2026-11-26 09:00 +08:00", tick=False):
        message = _visitor_message()
    url = reverse("board:lookup")
    client.post(url, {"number": message.number, "phone": PHONE, "action": "send_code"})
    code = sent_code(sms, PHONE)
    response = client.post(
        url, {"number": message.number, "phone": PHONE, "code": code, "action": "lookup"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_lookup_with_a_wrong_code_is_refused(client: Any, sms: Any) -> None:
    with time_machine.travel("2026-11-26 09:00 +08:00", tick=False):
        message = _visitor_message()
    url = reverse("board:lookup")
    client.post(url, {"number": message.number, "phone": PHONE, "action": "send_code"})
    wrong = "000000" if sent_code(sms, PHONE) != "000000" else "111111"
    response = client.post(
        url, {"number": message.number, "phone": PHONE, "code": wrong, "action": "lookup"}
    )
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert client.get(reverse("board:detail", args=[message.pk])).status_code == 302


def test_a_lookup_code_is_not_delivered_for_an_unknown_number(client: Any, sms: Any) -> None:
    client.post(reverse("board:lookup"), {"number": "LY000", "phone": PHONE, "action": "send_code"})
    assert sms == []


# --- refusals -----------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_staff_pages_and_others_messages(
    client: Any, enterprise_user: Any
) -> None:
    message = _enterprise_message(enterprise_user)
    for url in (
        reverse("board:manage"),
        reverse("board:manage_detail", args=[message.pk]),
        reverse("board:mine"),
        reverse("board:detail", args=[message.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["enterprise_user", "department_admin"])
def test_only_platform_staff_handle_messages(
    persona: str, request: Any, client_for: Any, enterprise_user: Any, category: Any
) -> None:
    message = _enterprise_message(enterprise_user)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("board:manage")).status_code == 403
    assert (
        client.post(reverse("board:answer", args=[message.pk]), {"answer": "x"}).status_code == 403
    )
    convert = client.post(
        reverse("board:convert", args=[message.pk]),
        {
            "category": category.pk,
            "enterprise": enterprise_user.enterprise.credit_code,
            "title": "t",
            "content": "c",
        },
    )
    assert convert.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.NEW


def test_another_enterprise_gets_404_on_a_message(
    enterprise_user: Any, other_enterprise_user: Any, client_for: Any
) -> None:
    message = _enterprise_message(enterprise_user)
    client = client_for(other_enterprise_user)
    assert client.get(reverse("board:detail", args=[message.pk])).status_code == 404
    assert "申请奖补资金" not in client.get(reverse("board:mine")).content.decode()


def test_the_staff_list_costs_the_same_queries_for_more_messages(
    enterprise_user: Any, platform_staff: Any, client_for: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(platform_staff)
    _enterprise_message(enterprise_user)
    client.get(reverse("board:manage"))  # warm the session and role caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("board:manage"))
    for i in range(5):
        _enterprise_message(enterprise_user, title=f"留言{i}")
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("board:manage"))
    assert len(six) == len(one)


def test_platform_staff_see_waiting_messages_on_the_workbench(
    client_for, platform_staff, enterprise_user
):
    from qifu.board.models import Message

    Message.objects.create(
        enterprise=enterprise_user.enterprise,
        created_by=enterprise_user,
        title="咨询用电增容",
        content="新厂区需要增容，怎么办理？",
        phone="13900000001",
    )
    page = client_for(platform_staff).get("/workbench/").content.decode()
    assert 'id="panel-' in page and "待答复" in page and "/messages/manage/?status=new" in page
    enterprise_page = client_for(enterprise_user).get("/workbench/").content.decode()
    assert "/messages/manage/" not in enterprise_page
