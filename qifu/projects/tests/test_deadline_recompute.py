"""Planned item dates follow a 2027 holiday table when it is imported (issue 10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from qifu.notifications.models import Notification
from qifu.projects import planning, services
from qifu.projects.models import EventAction, ProjectItem
from qifu.projects.planning import PlanInput, Span
from qifu.projects.tests.conftest import TZ, make_project
from qifu.workdays.recompute import deadlines_recompute

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2027, 1, 20, 10, tzinfo=TZ), tick=False):
        yield


def test_recalendar_moves_what_the_calendar_moves_and_keeps_what_is_pinned(
    import_holidays_2027: Any,
) -> None:
    items = [PlanInput("a", 3), PlanInput("b", 2, depends=("a",)), PlanInput("h", 3)]
    # Planned under the statutory estimate: 3 working days from Thursday 4 February.
    planned: dict[Any, Span | None] = {
        "a": Span(D(2027, 2, 4), D(2027, 2, 12)),
        "b": Span(D(2027, 2, 15), D(2027, 2, 16)),
        "h": Span(D(2027, 2, 4), D(2027, 2, 12)),
    }
    # The imported table has 11 February off too.
    import_holidays_2027()

    moved = planning.recalendar(items, planned=planned, pinned=["h"])

    assert moved == {
        "a": Span(D(2027, 2, 4), D(2027, 2, 15)),
        "b": Span(D(2027, 2, 16), D(2027, 2, 17)),
    }


def test_importing_2027_moves_planned_ends_and_says_so_on_the_project_history(
    templates: Any,
    assigned: Any,
    platform_staff: Any,
    steward: Any,
    enterprise: Any,
    enterprise_user: Any,
    import_holidays_2027: Any,
) -> None:
    project = make_project(platform_staff, enterprise, start=D(2027, 2, 1))
    preview = project.items.get(code="land-preview")
    # 10 working days from 2 February over the estimated 春节 (5–10 February).
    assert (preview.planned_start_on, preview.planned_end_on) == (D(2027, 2, 2), D(2027, 2, 19))

    import_holidays_2027()

    preview.refresh_from_db()
    # 5–11 February off, Saturday 20 February worked: the tenth working day is the 20th.
    assert preview.planned_end_on == D(2027, 2, 20)
    event = project.events.get(action=EventAction.DEADLINE, item=preview)
    assert not event.is_internal and event.actor_label == "系统"
    assert "计划完成期限由 2027-02-19 调整为 2027-02-20" in event.note
    assert Notification.objects.filter(
        user=steward, title__startswith="审批计划随节假日调整"
    ).exists()
    assert Notification.objects.filter(user=enterprise_user).exists()
    assert deadlines_recompute(years=[2027])["projects"] == 0


def test_an_item_replanned_by_hand_keeps_its_dates(
    templates: Any,
    assigned: Any,
    platform_staff: Any,
    steward: Any,
    enterprise: Any,
    import_holidays_2027: Any,
) -> None:
    project = make_project(platform_staff, enterprise, start=D(2027, 2, 1))
    preview = project.items.get(code="land-preview")
    services.project_item_replan(
        actor=steward,
        item=preview,
        planned_start_on=D(2027, 2, 2),
        planned_end_on=D(2027, 2, 26),
        reason="国土部门春节后集中审查",
    )

    import_holidays_2027()

    preview = ProjectItem.objects.get(pk=preview.pk)
    assert (preview.planned_start_on, preview.planned_end_on) == (D(2027, 2, 2), D(2027, 2, 26))
    assert not project.events.filter(action=EventAction.DEADLINE, item=preview).exists()
