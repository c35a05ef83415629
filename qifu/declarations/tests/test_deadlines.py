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


def test_importing_2027_moves_the_decision_deadline_and_says_so_on_the_timeline(
    submitted: Application, department_admin: Any, import_holidays_2027: Any
) -> None:
    from qifu.declarations.models import ApplicationEvent
    from qifu.declarations.services import application_accept
    from qifu.workdays.recompute import deadlines_recompute

    with time_machine.travel(_at(2027, 2, 4, 10, 0), tick=False):
        accepted = application_accept(application=submitted, user=department_admin)
    # 5 working days over the estimated 春节 (5–10 February): due 17 February.
    assert accepted.decide_due_at == _at(2027, 2, 17, 17, 0)
    assert accepted.decide_due_from == _at(2027, 2, 4, 10, 0)
    # The call's limit may change later; the running deadline keeps its own.
    accepted.call.review_working_days = 15
    accepted.call.save(update_fields=["review_working_days"])

    import_holidays_2027()

    accepted.refresh_from_db()
    assert accepted.decide_due_at == _at(2027, 2, 18, 17, 0)
    event = ApplicationEvent.objects.get(application=accepted, action="deadline_changed")
    assert event.actor_label == "系统"
    assert "审核期限由 2027-02-17 17:00 调整为 2027-02-18 17:00" in event.note
    assert Notification.objects.filter(
        user=department_admin, title__startswith="项目申报期限调整"
    ).exists()
    assert deadlines_recompute(years=[2027])["declarations"] == 0


def test_the_publicity_period_is_recomputed_too(
    approved: Application, department_admin: Any, import_holidays_2027: Any
) -> None:
    from qifu.declarations.services import results_publish

    with time_machine.travel(_at(2027, 2, 4, 10, 0), tick=False):
        results_publish(call=approved.call, user=department_admin)
    approved.refresh_from_db()
    assert approved.publicity_ends_at == _at(2027, 2, 17, 17, 0)

    import_holidays_2027()

    approved.refresh_from_db()
    assert approved.publicity_ends_at == _at(2027, 2, 18, 17, 0)
    assert approved.events.filter(action="deadline_changed", note__contains="公示期限").exists()
