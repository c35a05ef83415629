"""Signing out of the API and out of every device (issue 17: tokens could not be revoked)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from qifu.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_delete_auth_token_revokes_that_token_only(enterprise_user: Any) -> None:
    raw, _ = api_token_issue(user=enterprise_user)
    other, _ = api_token_issue(user=enterprise_user)
    client = Client()
    assert client.get("/api/v1/me", **_bearer(raw)).status_code == 200
    assert client.delete("/api/v1/auth/token", **_bearer(raw)).status_code == 204
    assert client.get("/api/v1/me", **_bearer(raw)).status_code == 401
    assert client.get("/api/v1/me", **_bearer(other)).status_code == 200
    # Once revoked, it cannot be revoked again; nor can a made-up token.
    assert client.delete("/api/v1/auth/token", **_bearer(raw)).status_code == 401
    assert client.delete("/api/v1/auth/token", **_bearer("made-up")).status_code == 401
    assert client.delete("/api/v1/auth/token").status_code == 401


def test_plain_logout_keeps_other_sessions_and_tokens(enterprise_user: Any) -> None:
    raw, _ = api_token_issue(user=enterprise_user)
    phone, laptop = Client(), Client()
    phone.force_login(enterprise_user)
    laptop.force_login(enterprise_user)
    laptop.post("/accounts/logout/")
    assert phone.get("/accounts/profile/").status_code == 200
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 200


def test_sign_out_everywhere_ends_other_sessions_and_tokens(
    enterprise_user: Any, other_enterprise_user: Any
) -> None:
    raw, _ = api_token_issue(user=enterprise_user)
    others_raw, _ = api_token_issue(user=other_enterprise_user)
    phone, laptop, someone_else = Client(), Client(), Client()
    phone.force_login(enterprise_user)
    laptop.force_login(enterprise_user)
    someone_else.force_login(other_enterprise_user)

    profile = laptop.get("/accounts/profile/").content.decode()
    assert "在所有设备上退出" in profile
    laptop.post("/accounts/logout/", {"everywhere": "1"})

    assert phone.get("/accounts/profile/").status_code == 302  # to the sign-in page
    assert laptop.get("/accounts/profile/").status_code == 302
    assert Client().get("/api/v1/me", **_bearer(raw)).status_code == 401
    # Nobody else is affected.
    assert someone_else.get("/accounts/profile/").status_code == 200
    assert Client().get("/api/v1/me", **_bearer(others_raw)).status_code == 200
    assert Session.objects.count() == 1
