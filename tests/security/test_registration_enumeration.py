"""Registration reveals nothing without a valid SMS code, and is throttled per address.

Issue 17: a registered phone got a different message without any valid code (15 of 30 probed
demo phones found).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qifu.accounts.models import Enterprise, User
from qifu.accounts.validators import build_credit_code

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, str]:
    data = {
        "credit_code": build_credit_code(serial=888001),
        "enterprise_name": "荣成市某某水产有限公司",
        "industry": "C",
        "scale": "small",
        "real_name": "张海",
        "phone": "13705310077",
        "code": "000000",
        "username": "probe",
        "password1": "Haiyang#2026",
        "password2": "Haiyang#2026",
    }
    data.update(overrides)
    return data


def _errors(response: Any) -> dict[str, list[str]]:
    return {k: list(v) for k, v in response.context["form"].errors.items()}


def test_a_registered_phone_username_and_enterprise_answer_like_unknown_ones(
    enterprise_user: Any, enterprise: Enterprise
) -> None:
    unknown = Client().post(reverse("accounts:register"), _form())
    registered = Client().post(
        reverse("accounts:register"),
        _form(
            phone=enterprise_user.phone,
            username=enterprise_user.username,
            credit_code=enterprise.credit_code,
        ),
    )
    assert _errors(unknown) == _errors(registered)
    assert set(_errors(registered)) == {"code"}


def test_registration_attempts_are_throttled_per_address(settings: Any) -> None:
    settings.REGISTER_LIMIT_PER_ADDRESS_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.20")
    for i in range(3):
        client.post(reverse("accounts:register"), _form(username=f"probe{i}"))
    refused = client.post(reverse("accounts:register"), _form(username="probe9"))
    assert "注册尝试次数过多" in refused.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.20").post(reverse("accounts:register"), _form())
    assert "注册尝试次数过多" not in other.content.decode()
    assert not User.objects.filter(username__startswith="probe").exists()
