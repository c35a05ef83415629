"""Plan and prediction against the real 2026 calendar: 9/25 中秋节, 10/1–10/7 国庆节, 10/10 (Sat)
a make-up working day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from qifu.projects import planning
from qifu.projects.models import ItemStatus
from qifu.projects.planning import PlanInput, Span
from qifu.projects.tests.conftest import TZ

pytestmark = pytest.mark.django_db

D = dt.date


def test_plan_counts_the_start_day_and_skips_the_holidays() -> None:
    items = [PlanInput("a", 3), PlanInput("b", 5, depends=("a",))]

    spans = planning.plan(items, start_on=D(2026, 9, 24))

    assert spans["a"] == Span(D(2026, 9, 24), D(2026, 9, 29))
    # The day after, through the National Day week, counting Saturday 10/10 (调休上班).
    assert spans["b"] == Span(D(2026, 9, 30), D(2026, 10, 12))


def test_an_immediate_item_planned_on_a_day_off_moves_to_the_next_working_day() -> None:
    spans = planning.plan([PlanInput("record", 0)], start_on=D(2026, 10, 3))

    assert spans["record"] == Span(D(2026, 10, 8), D(2026, 10, 8))


def test_an_item_waits_for_the_last_of_its_prerequisites() -> None:
    items = [
        PlanInput("drawings", 2),
        PlanInput("fire", 4),
        PlanInput("permit", 1, depends=("drawings", "fire")),
    ]

    spans = planning.plan(items, start_on=D(2026, 11, 2))

    assert spans["fire"].end == D(2026, 11, 5)
    assert spans["permit"] == Span(D(2026, 11, 6), D(2026, 11, 6))


def test_dependency_order_puts_prerequisites_first_and_survives_a_cycle() -> None:
    items = [PlanInput("b", 1, depends=("a",)), PlanInput("a", 1, depends=("b",))]

    assert [i.key for i in planning.dependency_order(items)] == ["a", "b"]


def test_prediction_keeps_actual_dates_and_pushes_late_work_to_today() -> None:
    items = [
        PlanInput(
            "a",
            3,
            status=ItemStatus.DONE,
            actual_start_on=D(2026, 9, 1),
            actual_end_on=D(2026, 9, 4),
        ),
        PlanInput(
            "b", 3, depends=("a",), status=ItemStatus.IN_PROGRESS, actual_start_on=D(2026, 9, 24)
        ),
        PlanInput("c", 5, depends=("b",)),
    ]

    spans = planning.predict(items, today=D(2026, 10, 9))

    assert spans["a"] == Span(D(2026, 9, 1), D(2026, 9, 4))
    # Its limit ran out on 9/29; still open, so it cannot end before today.
    assert spans["b"] == Span(D(2026, 9, 24), D(2026, 10, 9))
    assert spans["c"] == Span(D(2026, 10, 10), D(2026, 10, 15))
    assert planning.slip_days(D(2026, 10, 12), D(2026, 10, 15)) == 3


def test_a_waived_item_lets_its_dependents_follow_its_own_prerequisites() -> None:
    items = [
        PlanInput("a", 1, status=ItemStatus.DONE, actual_end_on=D(2026, 11, 2)),
        PlanInput("b", 10, depends=("a",), status=ItemStatus.WAIVED),
        PlanInput("c", 1, depends=("b",)),
    ]

    spans = planning.predict(items, today=D(2026, 11, 2))

    assert spans["b"] == Span(D(2026, 11, 2), D(2026, 11, 2))
    assert spans["c"] == Span(D(2026, 11, 3), D(2026, 11, 3))


def test_an_item_not_started_begins_no_earlier_than_its_plan() -> None:
    items = [PlanInput("a", 2, planned_start_on=D(2026, 12, 7))]

    spans = planning.predict(items, today=D(2026, 11, 26))

    assert spans["a"] == Span(D(2026, 12, 7), D(2026, 12, 8))


def test_slip_is_negative_when_ahead_of_plan() -> None:
    assert planning.slip_days(D(2026, 10, 12), D(2026, 9, 30)) == -4


def test_project_schedule_reports_stage_lateness_progress_and_slip(project: Any) -> None:
    from qifu.projects import selectors, services

    steward = project.steward
    record = project.items.get(code="record")
    with time_machine.travel(dt.datetime(2026, 9, 21, 10, tzinfo=TZ), tick=False):
        services.project_item_complete(actor=steward, item=record, on=D(2026, 9, 1))
        schedule = selectors.schedule_of(project, selectors.items_for_schedule(project))

    assert schedule.progress == 10
    assert schedule.current_stage == "land"
    land = schedule.stages[1]
    assert land.label == "用地"
    # 用地预审 (10 wd from 9/2) and 建设用地规划许可 (5 more, counting Sunday 9/20, 调休上班).
    assert land.planned_end == D(2026, 9, 21)
    assert not land.is_late
    # Nothing started on 用地 yet: it starts today (9/21), so everything after it slips.
    assert schedule.slip > 0
    assert schedule.predicted_completion is not None
    assert schedule.planned_completion is not None
    assert schedule.predicted_completion > schedule.planned_completion
