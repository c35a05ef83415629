"""顺延后续事项: replanning an item moves what waits for it, by the 2026 working-day calendar
(9/25 中秋节, 10/1–10/7 国庆节, 10/10 (Sat) a make-up working day)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from qifu.core.models import AuditEvent
from qifu.projects import planning, services
from qifu.projects.models import EventAction, ItemStatus
from qifu.projects.planning import PlanInput, Span
from qifu.projects.tests.conftest import TZ

pytestmark = pytest.mark.django_db

D = dt.date

CHAIN = [
    PlanInput("a", 3),
    PlanInput("b", 5, depends=("a",)),
    PlanInput("c", 2, depends=("b",)),
    PlanInput("x", 4),
]


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 9, 20, 10, tzinfo=TZ), tick=False):
        yield


def _planned(items: list[PlanInput]) -> dict[Any, Span | None]:
    return dict(planning.plan(items, start_on=D(2026, 9, 24)))


def test_moving_an_end_later_shifts_every_follower_through_the_national_day_week() -> None:
    planned = _planned(CHAIN)
    assert planned["b"] == Span(D(2026, 9, 30), D(2026, 10, 12))

    moved = planning.cascade(
        CHAIN, moved="a", span=Span(D(2026, 9, 24), D(2026, 10, 9)), planned=planned
    )

    # b starts on Saturday 10/10 (调休上班) and counts it; c follows b, transitively.
    assert moved == {
        "b": Span(D(2026, 10, 10), D(2026, 10, 15)),
        "c": Span(D(2026, 10, 16), D(2026, 10, 19)),
    }


def test_moving_an_end_earlier_pulls_the_followers_forward_and_leaves_the_rest() -> None:
    planned = _planned(CHAIN)

    moved = planning.cascade(
        CHAIN, moved="b", span=Span(D(2026, 9, 30), D(2026, 10, 8)), planned=planned
    )

    assert moved == {"c": Span(D(2026, 10, 9), D(2026, 10, 10))}
    assert "x" not in moved and "a" not in moved


def test_a_follower_still_waits_for_its_other_prerequisite() -> None:
    items = [
        PlanInput("drawings", 2),
        PlanInput("fire", 10),
        PlanInput("permit", 1, depends=("drawings", "fire")),
    ]
    planned = dict(planning.plan(items, start_on=D(2026, 11, 2)))

    moved = planning.cascade(
        items, moved="drawings", span=Span(D(2026, 11, 2), D(2026, 11, 5)), planned=planned
    )

    assert moved == {}  # 消防设计审查 ends later anyway


def test_closed_followers_keep_their_dates_and_theirs_wait_for_them() -> None:
    items = [
        PlanInput("a", 1),
        PlanInput("b", 1, depends=("a",), status=ItemStatus.DONE),
        PlanInput("c", 1, depends=("b",)),
        PlanInput("d", 1, depends=("a", "c")),
    ]
    planned = dict(planning.plan(items, start_on=D(2026, 11, 2)))

    moved = planning.cascade(
        items, moved="a", span=Span(D(2026, 11, 2), D(2026, 11, 9)), planned=planned
    )

    assert "b" not in moved and "c" not in moved  # c waits for the finished b, which stays
    assert moved == {"d": Span(D(2026, 11, 10), D(2026, 11, 10))}


def test_dependents_are_found_transitively_and_a_cycle_does_not_loop() -> None:
    items = [PlanInput("a", 1, depends=("c",)), PlanInput("b", 1, depends=("a",))]
    items.append(PlanInput("c", 1, depends=("b",)))

    assert planning.dependents_of(items, "a") == {"b", "c"}
    assert planning.dependents_of(CHAIN, "x") == set()


# --- the service and the API -----------------------------------------------------------------


def _dates(project: Any) -> dict[str, tuple[dt.date, dt.date]]:
    return {i.code: (i.planned_start_on, i.planned_end_on) for i in project.items.all()}


def test_replan_with_cascade_moves_the_followers_in_one_audited_event(
    project: Any, steward: Any
) -> None:

    before = _dates(project)
    drawing = project.items.get(code="drawing-review")  # planned 10/20–11/02

    services.project_item_replan(
        actor=steward,
        item=drawing,
        planned_start_on=D(2026, 10, 20),
        planned_end_on=D(2026, 11, 13),
        reason="图审机构补正",
        cascade=True,
    )

    after = _dates(project)
    # 施工许可 waits for 施工图审查 (now 11/13) and 消防设计审查 (11/09): starts Monday 11/16.
    assert after["construction-permit"] == (D(2026, 11, 16), D(2026, 11, 24))
    assert after["joint-acceptance"][0] == D(2026, 11, 25)
    assert after["completion-record"][1] > before["completion-record"][1]
    assert after["fire-design"] == before["fire-design"]  # not a follower
    assert after["record"] == before["record"]
    project.refresh_from_db()
    assert project.planned_completion_on == after["completion-record"][1]
    (event,) = project.events.filter(action=EventAction.REPLAN)
    assert "顺延后续事项" in event.note and "建筑工程施工许可证" in event.note
    audit = AuditEvent.objects.get(action="projects.item.replan_cascade")
    assert len(audit.data["moved"]) == 3


def test_replan_without_cascade_leaves_the_followers_alone(project: Any, steward: Any) -> None:

    before = _dates(project)

    services.project_item_replan(
        actor=steward,
        item=project.items.get(code="drawing-review"),
        planned_start_on=D(2026, 10, 20),
        planned_end_on=D(2026, 11, 13),
        reason="图审机构补正",
    )

    after = _dates(project)
    assert after["construction-permit"] == before["construction-permit"]
    assert after["drawing-review"] == (D(2026, 10, 20), D(2026, 11, 13))


def test_the_api_replans_with_cascade(api_client_for: Any, project: Any, steward: Any) -> None:
    drawing = project.items.get(code="drawing-review")

    response = api_client_for(steward).post(
        f"/api/v1/projects/{project.pk}/items/{drawing.pk}/replan",
        json.dumps(
            {
                "planned_start_on": "2026-10-20",
                "planned_end_on": "2026-11-13",
                "reason": "图审机构补正",
                "cascade": True,
            }
        ),
        content_type="application/json",
    )

    assert response.status_code == 200
    permit = next(i for i in response.json()["items"] if i["code"] == "construction-permit")
    assert permit["planned_start_on"] == "2026-11-16"


def test_the_replan_form_offers_the_cascade_and_applies_it(
    client_for: Any, project: Any, steward: Any
) -> None:
    drawing = project.items.get(code="drawing-review")
    client = client_for(steward)
    page = client.get(reverse("projects:item", args=[project.pk, drawing.pk]))
    assert "顺延后续事项" in page.content.decode()

    response = client.post(
        reverse("projects:item_act", args=[project.pk, drawing.pk, "replan"]),
        {
            "replan-planned_start_on": "2026-10-20",
            "replan-planned_end_on": "2026-11-13",
            "replan-reason": "图审机构补正",
            "replan-cascade": "on",
        },
    )

    assert response.status_code == 302
    assert project.items.get(code="construction-permit").planned_start_on == D(2026, 11, 16)
