from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qifu.accounts.models import Enterprise, Role, User
from qifu.accounts.services import enterprise_register
from qifu.accounts.tests.helpers import last_sms_code
from qifu.accounts.validators import build_credit_code
from qifu.core.models import AuditEvent
from qifu.notifications.sms import MemoryBackend

pytestmark = pytest.mark.django_db

PHONE = "13705310099"
CREDIT_CODE = build_credit_code(serial=777001)


def _form(**overrides: Any) -> dict[str, str]:
    data = {
        "credit_code": CREDIT_CODE,
        "enterprise_name": "荣成市新海水产食品有限公司",
        "industry": "C",
        "scale": "small",
        "real_name": "张海",
        "phone": PHONE,
        "code": "",
        "username": "xinhai",
        "password1": "Haiyang#2026",
        "password2": "Haiyang#2026",
    }
    data.update(overrides)
    return data


def _send_code(client: Client, phone: str = PHONE) -> str:
    response = client.post(reverse("accounts:send_code"), {"phone": phone, "purpose": "register"})
    assert response.status_code == 302
    return last_sms_code(phone)


def test_registration_creates_the_enterprise_and_its_admin_and_signs_in():
    client = Client()
    code = _send_code(client)
    response = client.post(reverse("accounts:register"), _form(code=code))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workbench")
    enterprise = Enterprise.objects.get(credit_code=CREDIT_CODE)
    user = User.objects.get(username="xinhai")
    assert user.enterprise == enterprise
    assert user.phone == PHONE
    assert user.role_set == {Role.ENTERPRISE_ADMIN}
    assert enterprise.industry == "C" and enterprise.contact_phone == PHONE
    assert AuditEvent.objects.filter(
        action="accounts.enterprise.register", object_id=str(enterprise.pk)
    ).exists()
    assert client.get(reverse("portal:workbench")).status_code == 200


def test_registration_page_renders_for_anonymous_visitors():
    response = Client().get(reverse("accounts:register"))
    assert response.status_code == 200
    assert "获取验证码" in response.content.decode()


def test_a_bad_check_digit_is_shown_next_to_the_credit_code():
    bad = CREDIT_CODE[:17] + ("0" if CREDIT_CODE[17] != "0" else "1")
    response = Client().post(reverse("accounts:register"), _form(credit_code=bad, code="123456"))
    assert response.status_code == 200
    assert "校验位不正确" in str(response.context["form"].errors["credit_code"])
    assert not Enterprise.objects.exists()


def test_an_already_registered_enterprise_is_refused_next_to_the_credit_code(enterprise):
    client = Client()
    code = _send_code(client)
    response = client.post(
        reverse("accounts:register"), _form(credit_code=enterprise.credit_code, code=code)
    )
    assert response.status_code == 200
    assert "该企业已注册，请联系本企业管理员添加账号" in str(
        response.context["form"].errors["credit_code"]
    )
    assert not User.objects.filter(username="xinhai").exists()


def test_a_wrong_sms_code_creates_nothing_and_counts_the_attempt():
    client = Client()
    code = _send_code(client)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(reverse("accounts:register"), _form(code=wrong))
    assert response.status_code == 200
    assert "验证码不正确" in str(response.context["form"].errors["code"])
    assert not Enterprise.objects.exists()
    from qifu.accounts.models import PhoneCode

    assert PhoneCode.objects.get(phone=PHONE).attempts == 1


def test_a_weak_password_is_shown_next_to_the_password_field():
    client = Client()
    code = _send_code(client)
    response = client.post(
        reverse("accounts:register"), _form(code=code, password1="abcdefgh", password2="abcdefgh")
    )
    assert response.status_code == 200
    assert "三类" in str(response.context["form"].errors["password1"])
    assert not Enterprise.objects.exists()


def test_mismatched_passwords_are_refused():
    response = Client().post(
        reverse("accounts:register"), _form(code="123456", password2="Different#2026")
    )
    assert "两次输入的密码不一致" in str(response.context["form"].errors["password2"])


def test_the_service_refuses_a_taken_username_and_phone_once_the_code_is_right(enterprise_user):
    from django.core.exceptions import ValidationError

    code = _send_code(Client(), enterprise_user.phone)
    with pytest.raises(ValidationError) as info:
        enterprise_register(
            credit_code=CREDIT_CODE,
            enterprise_name="某公司",
            industry="C",
            scale="small",
            real_name="张三",
            phone=enterprise_user.phone,
            code=code,
            username=enterprise_user.username,
            password="Haiyang#2026",
        )
    assert set(info.value.message_dict) == {"username", "phone"}


def test_sending_a_code_twice_within_a_minute_is_refused():
    client = Client()
    _send_code(client)
    response = client.post(
        reverse("accounts:send_code"),
        {"phone": PHONE, "purpose": "register"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "60秒" in response.json()["detail"]
    assert len(MemoryBackend.outbox) == 1


def test_send_code_without_javascript_keeps_what_was_typed_except_passwords():
    client = Client()
    client.post(reverse("accounts:send_code"), {**_form(), "purpose": "register"})
    response = client.get(reverse("accounts:register"))
    form = response.context["form"]
    assert form.initial["credit_code"] == CREDIT_CODE
    assert form.initial["enterprise_name"] == "荣成市新海水产食品有限公司"
    assert "password1" not in form.initial


def test_send_code_rejects_a_malformed_phone_and_sends_nothing():
    response = Client().post(
        reverse("accounts:send_code"),
        {"phone": "12345", "purpose": "register"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "手机号" in response.json()["detail"]
    assert MemoryBackend.outbox == []


def test_send_code_accepts_only_post():
    assert Client().get(reverse("accounts:send_code")).status_code == 405


def test_one_address_cannot_have_codes_sent_to_many_phones(settings):
    settings.SMS_LIMIT_PER_ADDRESS_HOUR = 20
    client = Client()
    for i in range(settings.SMS_LIMIT_PER_ADDRESS_HOUR):
        response = client.post(
            reverse("accounts:send_code"),
            {"phone": f"137053{i:05d}", "purpose": "register"},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 200
    refused = client.post(
        reverse("accounts:send_code"),
        {"phone": "13900009999", "purpose": "register"},
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400
    assert "一小时后" in refused.json()["detail"]
    assert len(MemoryBackend.outbox) == settings.SMS_LIMIT_PER_ADDRESS_HOUR
