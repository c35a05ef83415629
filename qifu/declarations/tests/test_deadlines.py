"""Reminders before acceptance deadlines and overdue notices, each once per deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from qifu.declarations.deadlines import applications_deadline_sweep
from qifu.declarations.models import Application
from qifu.notifications.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_the_department_is_reminded_once_before_the_acceptance_deadline(
    submitted: Application, department_admin: Any
) -> None:
    # Due Thursday 3 December 17:00; on the evening of 2 December it is within a working day.
    with time_machine.travel(_at(2026, 12, 2, 18, 0), tick=False):
        assert applications_deadline_sweep()["reminded"] == 1
        assert applications_deadline_sweep()["reminded"] == 0
    assert Notification.objects.filter(user=department_admin, title="项目申报待受理").count() == 1


def test_an_overdue_acceptance_is_reported_once(
    submitted: Application, department_admin: Any
) -> None:
    with time_machine.travel(_at(2026, 12, 4, 9, 0), tick=False):
        assert applications_deadline_sweep()["overdue"] == 1
        assert applications_deadline_sweep()["overdue"] == 0
    assert Notification.objects.filter(user=department_admin, title="项目申报受理已超期").exists()


def test_nothing_is_sent_long_before_the_deadline(submitted: Application) -> None:
    with time_machine.travel(_at(2026, 11, 27, 9, 0), tick=False):
        assert applications_deadline_sweep() == {"reminded": 0, "overdue": 0}
