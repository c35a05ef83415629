"""Reminders before a matter application's deadline and overdue notices, once per deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from qifu.matters.deadlines import applications_deadline_sweep
from qifu.matters.tests.conftest import pdf
from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _submitted(user: Any, matter: Any) -> Any:
    from qifu.matters import services

    # Friday 6 March + 5 working days: due Friday 13 March.
    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=TZ), tick=False):
        return services.matter_application_apply(
            user=user,
            matter=matter,
            contact_name="张三",
            contact_phone="13900000001",
            files=[pdf()],
        )


def test_the_department_is_reminded_once_the_day_before(
    enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    _submitted(enterprise_user, matter)
    with time_machine.travel(dt.datetime(2026, 3, 12, 18, 0, tzinfo=TZ), tick=False):
        assert applications_deadline_sweep()["reminded"] == 1
        assert applications_deadline_sweep()["reminded"] == 0
    assert Notification.objects.filter(user=department_admin, title="办件待受理").count() == 1


def test_an_overdue_application_is_reported_once(
    enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    _submitted(enterprise_user, matter)
    with time_machine.travel(dt.datetime(2026, 3, 16, 9, 0, tzinfo=TZ), tick=False):
        assert applications_deadline_sweep()["overdue"] == 1
        assert applications_deadline_sweep()["overdue"] == 0
    assert Notification.objects.filter(user=department_admin, title="办件受理已超期").exists()


def test_nothing_is_sent_while_the_deadline_is_far(enterprise_user: Any, matter: Any) -> None:
    _submitted(enterprise_user, matter)
    with time_machine.travel(dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ), tick=False):
        assert applications_deadline_sweep() == {"reminded": 0, "overdue": 0}
