"""Lockout that an attacker cannot turn against others, and a throttle on password spraying.

Issue 17: anyone could lock `admin` with 5 wrong passwords, and 40 usernames from one address were
all processed. Failures now lock the account *from that address*; an account ceiling and an
address ceiling (settings LOCKOUT_*) stop distributed guessing and spraying.
"""

from __future__ import annotations

from typing import Any

import pytest
from axes.utils import reset
from django.test import Client

from conftest import PASSWORD
from qifu.accounts.models import Role
from qifu.accounts.services import user_create

pytestmark = pytest.mark.django_db

WRONG = "Wrong#2026"


@pytest.fixture(autouse=True)
def _axes_on(settings: Any) -> Any:
    settings.AXES_ENABLED = True
    reset()
    yield
    reset()


def _login(address: str, username: str, password: str, **headers: Any) -> Any:
    return Client(REMOTE_ADDR=address, **headers).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def _token(address: str, username: str, password: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )


def test_five_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(
    enterprise_user: Any,
) -> None:
    for _ in range(5):
        _login("203.0.113.66", enterprise_user.username, WRONG)
    # The attacker's address is locked for this account, even with the right password ...
    assert _login("203.0.113.66", enterprise_user.username, PASSWORD).status_code == 429
    # ... but the owner, from their own address, signs in.
    assert _login("10.1.1.1", enterprise_user.username, PASSWORD).status_code == 302
    assert _token("10.1.1.2", enterprise_user.username, PASSWORD).status_code == 200


def test_the_admin_cannot_be_locked_out_from_elsewhere(superuser: Any) -> None:
    for _ in range(5):
        Client(REMOTE_ADDR="203.0.113.66").post(
            "/admin/login/", {"username": superuser.username, "password": WRONG}
        )
    assert _login("10.1.1.1", superuser.username, PASSWORD).status_code == 302


def test_an_account_ceiling_locks_it_everywhere(settings: Any, enterprise_user: Any) -> None:
    settings.LOCKOUT_ACCOUNT_FAILURES = 6
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        for _ in range(2):
            _login(address, enterprise_user.username, WRONG)
    assert _login("10.1.1.1", enterprise_user.username, PASSWORD).status_code == 429
    assert _token("10.1.1.2", enterprise_user.username, PASSWORD).status_code == 429


def test_password_spraying_from_one_address_is_stopped(settings: Any, enterprise: Any) -> None:
    settings.LOCKOUT_ADDRESS_FAILURES = 5
    users = [
        user_create(
            username=f"spray{i}",
            password=PASSWORD,
            roles=[Role.ENTERPRISE_ADMIN],
            enterprise=enterprise,
            validate=False,
        )
        for i in range(7)
    ]
    for user in users[:4]:
        assert _login("203.0.113.9", user.username, WRONG).status_code == 200
    _login("203.0.113.9", users[4].username, WRONG)
    # The sixth username from that address is refused, even with its right password.
    refused = _login("203.0.113.9", users[5].username, PASSWORD)
    assert refused.status_code == 429
    assert "网络地址" in refused.content.decode()
    token = _token("203.0.113.9", users[6].username, PASSWORD)
    assert token.status_code == 429
    assert "网络地址" in token.json()["detail"]
    # Other addresses are not affected.
    assert _login("10.1.1.1", users[5].username, PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_gives_no_fresh_count(enterprise_user: Any) -> None:
    for i in range(5):
        _login(
            "203.0.113.66", enterprise_user.username, WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        )
    response = _login(
        "203.0.113.66", enterprise_user.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert response.status_code == 429
