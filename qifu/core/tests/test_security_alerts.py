"""Checklist #48 (second half): bursts of refusals or lockouts alert the security administrators.

MLPS 2.0 level 3 入侵防范 (L3-CES1-22); ASVS 16.3.2.
"""

from __future__ import annotations

import pytest

from qifu.accounts.models import Role
from qifu.accounts.services import role_grant, user_create
from qifu.core.audit import audit_record
from qifu.core.models import AuditEvent
from qifu.core.security_alerts import security_alerts_check
from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_admin(agency):
    user = user_create(username="anquan", password=None, department=agency)
    role_grant(user=user, role=Role.SECURITY_ADMIN)
    return user


def test_twenty_refusals_by_one_account_alert_once(security_admin, enterprise_user):
    for _ in range(20):
        audit_record(action="access.denied", actor=enterprise_user, outcome="denied")
    assert security_alerts_check() == 1
    assert security_alerts_check() == 0  # the same burst, the same window: one alert
    note = Notification.objects.get(user=security_admin)
    assert "安全告警" in note.title and enterprise_user.username in note.body
    assert AuditEvent.objects.filter(action="security.alert").count() == 1


def test_nineteen_refusals_are_not_a_burst(security_admin, enterprise_user):
    for _ in range(19):
        audit_record(action="access.denied", actor=enterprise_user, outcome="denied")
    assert security_alerts_check() == 0
    assert not Notification.objects.filter(user=security_admin).exists()


def test_three_lockouts_alert(security_admin):
    for name in ("a", "b", "c"):
        audit_record(action="auth.lockout", username=name, outcome="failure")
    assert security_alerts_check() == 1
    assert "账号锁定" in Notification.objects.get(user=security_admin).body


def test_without_security_administrators_superusers_are_told(superuser):
    for name in ("a", "b", "c"):
        audit_record(action="auth.lockout", username=name, outcome="failure")
    security_alerts_check()
    assert Notification.objects.filter(user=superuser).exists()
