"""Checklist #2 (password age and history), #5 (absolute session limit), #16 (三员分立).

MLPS 2.0 level 3 身份鉴别 a/b, 访问控制 d; ASVS 7.3.2 (deviation from 6.2.10 in docs/security.md).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from qifu.accounts.models import Role
from qifu.accounts.services import (
    role_grant,
    user_change_password,
    user_create,
    user_set_password,
)
from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PAGE = "/accounts/profile/"
PASSWORDS = [f"Rongcheng#{n}Qy" for n in range(2020, 2027)]


def test_the_last_five_passwords_cannot_be_chosen_again(enterprise_user):
    current = PASSWORD
    for new in PASSWORDS[:5]:
        user_change_password(user=enterprise_user, old_password=current, new_password=new)
        current = new
    # PASSWORD (the original) is now the 6th most recent and may come back; the other five not.
    for reused in PASSWORDS[:5]:
        with pytest.raises(ValidationError) as excinfo:
            user_set_password(user=enterprise_user, password=reused)
        assert "最近5次" in str(excinfo.value)
    user_set_password(user=enterprise_user, password=PASSWORD)
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password(PASSWORD)


def test_the_change_page_shows_the_reuse_next_to_the_field(enterprise_user, client_for):
    user_change_password(user=enterprise_user, old_password=PASSWORD, new_password=PASSWORDS[0])
    enterprise_user.refresh_from_db()
    response = client_for(enterprise_user).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORDS[0], "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert "最近5次" in str(response.context["form"].errors["new_password1"])


def test_an_expired_password_must_be_changed_before_anything_else(
    settings, enterprise_user, client_for, api_client_for
):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client = client_for(enterprise_user)
    assert client.get(PAGE).status_code == 200
    with time_machine.travel(dt.timedelta(days=91)):
        client = client_for(enterprise_user)
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:password_change"))
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "已使用超过 90 天" in page.content.decode()
        api = client.get("/api/v1/me")
        assert api.status_code == 403
        assert api.json()["code"] == "password_expired"
        client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": PASSWORDS[0],
                "new_password2": PASSWORDS[0],
            },
        )
        assert client.get(PAGE).status_code == 200


def test_a_password_younger_than_the_limit_is_not_asked_for(settings, enterprise_user, client_for):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(dt.timedelta(days=89)):
        assert client_for(enterprise_user).get(PAGE).status_code == 200


def test_a_busy_session_still_ends_after_eight_hours(enterprise_user, client_for):
    start = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        client = client_for(enterprise_user)
        for _ in range(17):  # a request every 29 minutes: never idle for 30
            traveller.shift(dt.timedelta(minutes=29))
            assert client.get(PAGE).status_code == 200
        traveller.shift(dt.timedelta(minutes=29))  # 8 h 13 min after the first request
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(
        action="auth.session.timeout", summary="会话超过最长时限"
    ).exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN),
        (Role.SYSTEM_ADMIN, Role.AUDITOR),
        (Role.SECURITY_ADMIN, Role.AUDITOR),
        (Role.AUDITOR, Role.SYSTEM_ADMIN),
    ],
)
def test_no_one_holds_two_of_the_three_administrator_roles(platform_staff, first, second):
    role_grant(user=platform_staff, role=first)
    with pytest.raises(ValidationError) as excinfo:
        role_grant(user=platform_staff, role=second)
    assert "三员分立" in str(excinfo.value)
    assert platform_staff.role_grants.filter(role=second).count() == 0


def test_only_the_audit_administrator_reads_the_audit_log(platform_staff, client_for):
    role_grant(user=platform_staff, role=Role.SYSTEM_ADMIN)
    unit = platform_staff.department
    security = user_create(username="anquan_admin", password=None, department=unit)
    role_grant(user=security, role=Role.SECURITY_ADMIN)
    auditor = user_create(username="shenji_admin", password=None, department=unit)
    role_grant(user=auditor, role=Role.AUDITOR)
    assert client_for(platform_staff).get(reverse("core:audit")).status_code == 403
    assert client_for(security).get(reverse("core:audit")).status_code == 403
    assert client_for(auditor).get(reverse("core:audit")).status_code == 200
    # ... and the audit administrator manages no accounts: the data maintenance is closed to them.
    assert client_for(auditor).get(reverse("admin:accounts_user_changelist")).status_code == 302
