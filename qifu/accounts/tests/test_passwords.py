from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from qifu.accounts.models import ApiToken, PhoneCode
from qifu.accounts.services import api_token_issue
from qifu.accounts.tests.helpers import last_sms_code
from qifu.core.models import AuditEvent
from qifu.notifications.sms import MemoryBackend

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xinmima#2027"


def _request_reset(client: Client, phone: str):
    return client.post(reverse("accounts:password_reset"), {"phone": phone})


def test_reset_by_phone_sets_a_new_password_and_ends_api_tokens(enterprise_user):
    api_token_issue(user=enterprise_user)
    client = Client()
    response = _request_reset(client, enterprise_user.phone)
    assert response["Location"] == reverse("accounts:password_reset_confirm")
    code = last_sms_code(enterprise_user.phone)
    page = client.get(reverse("accounts:password_reset_confirm"))
    assert page.context["form"].initial["phone"] == enterprise_user.phone
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {
            "phone": enterprise_user.phone,
            "code": code,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == reverse("accounts:login")
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password(NEW_PASSWORD)
    assert not ApiToken.objects.filter(user=enterprise_user, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(
        action="accounts.password.reset", actor=enterprise_user, outcome="success"
    ).exists()


def test_reset_answers_the_same_for_an_unregistered_phone_and_sends_nothing(enterprise_user):
    known = _request_reset(Client(), enterprise_user.phone)
    unknown = _request_reset(Client(), "13611112222")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.phone for m in MemoryBackend.outbox] == [enterprise_user.phone]
    # Same rate limit either way, so a second request cannot tell them apart either.
    again_known = _request_reset(Client(), enterprise_user.phone)
    again_unknown = _request_reset(Client(), "13611112222")
    assert again_known.status_code == again_unknown.status_code == 200
    assert "60秒" in str(again_known.context["form"].errors["phone"])
    assert "60秒" in str(again_unknown.context["form"].errors["phone"])


def test_reset_for_an_unregistered_phone_fails_like_a_wrong_code():
    client = Client()
    _request_reset(client, "13611112222")
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {
            "phone": "13611112222",
            "code": "123456",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "验证码不正确" in str(response.context["form"].errors["code"])


def test_a_weak_new_password_is_shown_next_to_the_field_and_keeps_the_code(enterprise_user):
    client = Client()
    _request_reset(client, enterprise_user.phone)
    code = last_sms_code(enterprise_user.phone)
    response = client.post(
        reverse("accounts:password_reset_confirm"),
        {
            "phone": enterprise_user.phone,
            "code": code,
            "new_password1": "short",
            "new_password2": "short",
        },
    )
    assert response.status_code == 200
    assert "new_password1" in response.context["form"].errors
    assert PhoneCode.objects.get(phone=enterprise_user.phone).used_at is None


def test_five_wrong_codes_exhaust_the_code(enterprise_user):
    client = Client()
    _request_reset(client, enterprise_user.phone)
    code = last_sms_code(enterprise_user.phone)
    wrong = "000000" if code != "000000" else "111111"
    data = {
        "phone": enterprise_user.phone,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }
    for _ in range(5):
        client.post(reverse("accounts:password_reset_confirm"), {**data, "code": wrong})
    response = client.post(reverse("accounts:password_reset_confirm"), {**data, "code": code})
    assert "错误次数过多" in str(response.context["form"].errors["code"])
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password(PASSWORD)


def test_change_password_requires_the_old_one(enterprise_user, client_for):
    client = client_for(enterprise_user)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Wrong#2026",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "原密码不正确" in str(response.context["form"].errors["old_password"])
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password(PASSWORD)


def test_change_password_keeps_this_session_and_ends_the_others(enterprise_user, client_for):
    client = client_for(enterprise_user)
    other_device = client_for(enterprise_user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:profile")
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password(NEW_PASSWORD)
    assert enterprise_user.password_changed_at is not None
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert other_device.get(reverse("accounts:profile")).status_code == 302
    assert AuditEvent.objects.filter(
        action="accounts.password.change", actor=enterprise_user, outcome="success"
    ).exists()


def test_change_password_applies_the_password_rules(enterprise_user, client_for):
    response = client_for(enterprise_user).post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "qiye_t#2026A",
            "new_password2": "qiye_t#2026A",
        },
    )
    assert "用户名" in str(response.context["form"].errors["new_password1"])


def test_change_password_needs_sign_in():
    response = Client().get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
