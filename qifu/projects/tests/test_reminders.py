from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from qifu.notifications.models import Notification
from qifu.projects import services
from qifu.projects.models import Project, ProjectReminder, ReminderKind
from qifu.projects.reminders import project_reminders_sweep
from qifu.projects.tests.conftest import TZ

pytestmark = pytest.mark.django_db

D = dt.date


def _at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9), tzinfo=TZ), tick=False)


def test_an_item_due_within_one_working_day_is_reminded_once(
    project: Project, enterprise_user: Any, steward: Any
) -> None:
    # 用地预审 is planned to end on 9/15; the day before is within one working day.
    with _at(D(2026, 9, 14)):
        first = project_reminders_sweep()
        second = project_reminders_sweep()

    assert first["item_due"] >= 1
    assert second == {"item_due": 0, "stage_late": 0}
    for user in (enterprise_user, steward):
        assert Notification.objects.filter(user=user, title__contains="用地预审").count() == 1


def test_a_late_stage_is_reminded_once_and_again_after_a_replan(
    project: Project, enterprise_user: Any, steward: Any
) -> None:
    with _at(D(2026, 9, 22)):  # 用地 was planned to end on 9/21
        counts = project_reminders_sweep()
        again = project_reminders_sweep()
    assert counts["stage_late"] >= 1
    assert again["stage_late"] == 0
    assert (
        ProjectReminder.objects.filter(kind=ReminderKind.STAGE_LATE, subject="stage:land").count()
        == 1
    )

    item = project.items.get(code="land-planning")
    with _at(D(2026, 9, 22)):
        services.project_item_replan(
            actor=steward,
            item=item,
            planned_start_on=D(2026, 9, 22),
            planned_end_on=D(2026, 9, 23),
            reason="补充材料",
        )
    with _at(D(2026, 9, 24)):
        project_reminders_sweep()

    assert (
        ProjectReminder.objects.filter(kind=ReminderKind.STAGE_LATE, subject="stage:land").count()
        == 2
    )
    assert (
        Notification.objects.filter(user=enterprise_user, title__contains="阶段滞后").count() >= 2
    )


def test_closed_items_are_not_reminded(project: Project, steward: Any) -> None:
    with _at(D(2026, 9, 14)):
        for item in project.items.filter(code__in=["record", "land-preview"]):
            services.project_item_complete(actor=steward, item=item, on=D(2026, 9, 14))
        counts = project_reminders_sweep()

    assert counts["item_due"] == 0
    assert not ProjectReminder.objects.filter(subject__startswith="item:").exists()


def test_the_sweep_is_registered_as_a_schedule() -> None:
    from qifu.notifications.schedules import registered_schedules

    assert "projects.reminders" in {job.name for job in registered_schedules()}
