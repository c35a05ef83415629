from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.utils import reset
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True
    reset()
    yield
    reset()


def _login(client: Client, username: str, password: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _token(client: Client, username: str, password: str):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_five_failures_lock_the_account_even_against_the_right_password(enterprise_user):
    client = Client()
    for _ in range(4):
        assert _login(client, enterprise_user.username, "Wrong#2026").status_code == 200
    fifth = _login(client, enterprise_user.username, "Wrong#2026")
    assert fifth.status_code == 429
    assert "账号已临时锁定" in fifth.content.decode()
    sixth = _login(Client(), enterprise_user.username, PASSWORD)
    assert sixth.status_code == 429
    assert "_auth_user_id" not in sixth.client.session
    assert AuditEvent.objects.filter(
        action="auth.lockout", actor_username=enterprise_user.username
    ).exists()
    assert (
        AuditEvent.objects.filter(
            action="auth.login.failed", actor_username=enterprise_user.username
        ).count()
        >= 5
    )


def test_the_lockout_ends_after_thirty_minutes(enterprise_user):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            _login(Client(), enterprise_user.username, "Wrong#2026")
        assert _login(Client(), enterprise_user.username, PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=31))
        response = _login(Client(), enterprise_user.username, PASSWORD)
        assert response.status_code == 302


def test_other_accounts_are_not_locked(enterprise_user, other_enterprise_user):
    for _ in range(5):
        _login(Client(), enterprise_user.username, "Wrong#2026")
    response = _login(Client(), other_enterprise_user.username, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action="auth.login", actor=other_enterprise_user, outcome="success"
    ).exists()


def test_a_success_before_the_fifth_failure_resets_the_count(enterprise_user):
    for _ in range(4):
        _login(Client(), enterprise_user.username, "Wrong#2026")
    assert _login(Client(), enterprise_user.username, PASSWORD).status_code == 302
    for _ in range(4):
        assert _login(Client(), enterprise_user.username, "Wrong#2026").status_code == 200
    assert _login(Client(), enterprise_user.username, PASSWORD).status_code == 302


def test_the_api_token_endpoint_answers_429_in_chinese_when_locked(enterprise_user):
    for _ in range(4):
        assert _token(Client(), enterprise_user.username, "Wrong#2026").status_code == 401
    fifth = _token(Client(), enterprise_user.username, "Wrong#2026")
    assert fifth.status_code == 429
    assert "锁定" in fifth.json()["detail"]
    sixth = _token(Client(), enterprise_user.username, PASSWORD)
    assert sixth.status_code == 429
    assert "锁定" in sixth.json()["detail"]


def test_failures_on_the_page_and_the_api_add_up(enterprise_user):
    for _ in range(3):
        _login(Client(), enterprise_user.username, "Wrong#2026")
    for _ in range(2):
        _token(Client(), enterprise_user.username, "Wrong#2026")
    assert _login(Client(), enterprise_user.username, PASSWORD).status_code == 429


def test_a_successful_sign_in_is_audited(enterprise_user):
    assert _login(Client(), enterprise_user.username, PASSWORD).status_code == 302
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == enterprise_user
    assert event.ip_address == "127.0.0.1"


def test_a_failed_sign_in_is_audited_with_the_username(enterprise_user):
    _login(Client(), enterprise_user.username, "Wrong#2026")
    event = AuditEvent.objects.get(action="auth.login.failed")
    assert event.actor_username == enterprise_user.username
    assert event.outcome == "failure"


def test_the_admin_sign_in_counts_towards_the_same_lockout(superuser):
    for _ in range(5):
        Client().post("/admin/login/", {"username": superuser.username, "password": "Wrong#2026"})
    response = Client().post(
        "/admin/login/", {"username": superuser.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert _login(Client(), superuser.username, PASSWORD).status_code == 429
