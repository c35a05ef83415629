from __future__ import annotations

import datetime as dt
import re
from binascii import unhexlify

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
SETUP = "/accounts/otp/setup/"
VERIFY = "/accounts/otp/verify/"


def _code(key: str) -> str:
    return f"{TOTP(unhexlify(key)).token():06d}"


def _enrol(client: Client) -> str:
    page = client.get(SETUP)
    assert page.status_code == 200
    key = client.session["otp_setup_key"]
    response = client.post(SETUP, {"token": _code(key)})
    assert response.status_code == 302, response.context["form"].errors
    return key


def _sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_setup_shows_an_inline_svg_qr_code_and_the_secret_without_inline_style_or_script(
    enterprise_user, client_for
):
    page = client_for(enterprise_user).get(SETUP)
    html = page.content.decode()
    assert "<svg" in html and "qrline" in html
    assert re.search(r"<code class=\"qifu-otp-secret\">[A-Z2-7 ]{32,}</code>", html)
    assert " style=" not in html
    assert not re.search(r"<script>(?!</script>)", html)


def test_setup_confirmed_with_a_first_code_enrols_the_authenticator(enterprise_user, client_for):
    client = client_for(enterprise_user)
    with time_machine.travel(START, tick=False):
        _enrol(client)
        assert client.get(reverse("portal:workbench")).status_code == 200
    device = TOTPDevice.objects.get(user=enterprise_user)
    assert device.confirmed
    assert AuditEvent.objects.filter(action="auth.otp.enable", outcome="success").exists()


def test_a_wrong_first_code_enrols_nothing(enterprise_user, client_for):
    client = client_for(enterprise_user)
    client.get(SETUP)
    key = client.session["otp_setup_key"]
    wrong = "000000" if _code(key) != "000000" else "111111"
    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "动态验证码不正确" in str(response.context["form"].errors["token"])
    assert not TOTPDevice.objects.exists()


def test_sign_in_with_an_authenticator_leads_to_the_code_before_anything_else(enterprise_user):
    with time_machine.travel(START, tick=False) as traveller:
        key = _enrol(_sign_in(enterprise_user.username))
        traveller.shift(dt.timedelta(minutes=2))
        client = Client()
        response = client.post(
            reverse("accounts:login"), {"username": enterprise_user.username, "password": PASSWORD}
        )
        assert response["Location"].startswith(VERIFY)
        blocked = client.get(reverse("portal:workbench"))
        assert blocked["Location"].startswith(VERIFY)
        assert client.get(reverse("accounts:profile"))["Location"].startswith(VERIFY)
        assert client.get("/api/v1/me").status_code == 403
        passed = client.post(VERIFY, {"token": _code(key), "next": "/workbench/"})
        assert passed["Location"] == "/workbench/"
        assert client.get(reverse("portal:workbench")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp.verify", outcome="success").exists()


def test_a_code_cannot_be_used_twice(enterprise_user):
    with time_machine.travel(START, tick=False):
        key = _enrol(_sign_in(enterprise_user.username))
        client = _sign_in(enterprise_user.username)
        # The code that confirmed the enrolment is spent: the same 30 s window is refused.
        response = client.post(VERIFY, {"token": _code(key)})
        assert client.get(reverse("portal:workbench"))["Location"].startswith(VERIFY)
    assert response.status_code == 200
    assert "不正确或已使用" in str(response.context["form"].errors["token"])
    assert AuditEvent.objects.filter(action="auth.otp.verify", outcome="failure").exists()


def test_verify_refuses_an_external_next_url(enterprise_user):
    with time_machine.travel(START, tick=False) as traveller:
        key = _enrol(_sign_in(enterprise_user.username))
        traveller.shift(dt.timedelta(minutes=1))
        client = _sign_in(enterprise_user.username)
        response = client.post(VERIFY, {"token": _code(key), "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:workbench")


def test_replacing_an_authenticator_needs_the_password(enterprise_user, client_for):
    client = client_for(enterprise_user)
    with time_machine.travel(START, tick=False) as traveller:
        _enrol(client)
        traveller.shift(dt.timedelta(minutes=1))
        client.get(SETUP)
        key = client.session["otp_setup_key"]
        response = client.post(SETUP, {"token": _code(key), "password": "Wrong#2026"})
        assert "登录密码不正确" in str(response.context["form"].errors["password"])
        response = client.post(SETUP, {"token": _code(key), "password": PASSWORD})
        assert response.status_code == 302
    assert TOTPDevice.objects.get(user=enterprise_user).key == key


def test_staff_must_set_up_an_authenticator_when_it_is_required(settings, platform_staff):
    settings.OTP_REQUIRED_FOR_STAFF = True
    with time_machine.travel(START, tick=False):
        client = _sign_in(platform_staff.username)
        assert client.get(reverse("portal:workbench"))["Location"].startswith(VERIFY)
        to_setup = client.get(VERIFY)
        assert to_setup["Location"].startswith(SETUP)
        _enrol(client)
        assert client.get(reverse("portal:workbench")).status_code == 200


def test_a_superuser_cannot_reach_the_admin_with_a_password_alone(settings, superuser):
    settings.OTP_REQUIRED_FOR_STAFF = True
    client = _sign_in(superuser.username)
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_enterprise_users_without_an_authenticator_are_not_asked_for_one(settings, enterprise_user):
    settings.OTP_REQUIRED_FOR_STAFF = True
    client = _sign_in(enterprise_user.username)
    assert client.get(reverse("portal:workbench")).status_code == 200


def test_without_the_requirement_staff_sign_in_with_a_password(platform_staff):
    client = _sign_in(platform_staff.username)
    assert client.get(reverse("portal:workbench")).status_code == 200


def test_otp_pages_need_sign_in():
    for url in (SETUP, VERIFY):
        response = Client().get(url)
        assert response["Location"].startswith(reverse("accounts:login"))


def _api_token(username: str, otp: str = ""):
    payload = {"username": username, "password": PASSWORD}
    if otp:
        payload["otp"] = otp
    return Client().post("/api/v1/auth/token", payload, content_type="application/json")


def test_an_api_token_needs_the_second_factor_once_an_authenticator_is_enrolled(enterprise_user):
    with time_machine.travel(START, tick=False) as traveller:
        key = _enrol(_sign_in(enterprise_user.username))
        traveller.shift(dt.timedelta(minutes=1))
        refused = _api_token(enterprise_user.username)
        assert refused.status_code == 401
        assert "动态验证码" in refused.json()["detail"]
        assert _api_token(enterprise_user.username, otp=_code(key)).status_code == 200


def test_an_api_token_for_staff_needs_the_second_factor_when_required(settings, platform_staff):
    settings.OTP_REQUIRED_FOR_STAFF = True
    assert _api_token(platform_staff.username).status_code == 401


def test_an_api_token_without_a_second_factor_needs_only_the_password(enterprise_user):
    assert _api_token(enterprise_user.username).status_code == 200
