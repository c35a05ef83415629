"""Reminders before a matter application's deadline and overdue notices, once per deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

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


def test_importing_2027_moves_an_open_application_and_says_so_on_its_timeline(
    enterprise_user: Any, department_admin: Any, matter: Any, import_holidays_2027: Any
) -> None:
    from qifu.matters import services
    from qifu.matters.models import MatterEvent
    from qifu.workdays.recompute import deadlines_recompute

    with time_machine.travel(dt.datetime(2027, 2, 4, 10, 0, tzinfo=TZ), tick=False):
        application = services.matter_application_apply(
            user=enterprise_user,
            matter=matter,
            contact_name="张三",
            contact_phone="13900000001",
            files=[pdf()],
        )
    # 5 working days over the estimated 春节 (5–10 February): 11, 12, 15, 16, 17.
    assert application.due_at == dt.datetime(2027, 2, 17, 17, 0, tzinfo=TZ)
    assert application.due_working_days == 5
    # A later change of the matter's promise does not change an application already running.
    matter.promised_limit_days = 10
    matter.save()

    import_holidays_2027()

    application.refresh_from_db()
    assert application.due_at == dt.datetime(2027, 2, 18, 17, 0, tzinfo=TZ)
    event = MatterEvent.objects.get(application=application, action="deadline_changed")
    assert event.actor_label == "系统"
    assert "受理期限由 2027-02-17 17:00 调整为 2027-02-18 17:00" in event.note
    assert Notification.objects.filter(user=department_admin, title="办件期限调整").exists()
    page = Client()
    page.force_login(enterprise_user)
    assert "期限调整" in page.get(f"/matters/applications/{application.pk}/").content.decode()
    assert deadlines_recompute(years=[2027])["matters"] == 0
