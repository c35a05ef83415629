from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from qifu.portal.space import space_cards, timeline, timeline_kinds
from qifu.portal.workbench import panels_for
from qifu.projects import services
from qifu.projects.cards import project_timeline, projects_panel
from qifu.projects.models import Project
from qifu.projects.tests.conftest import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=TZ), tick=False):
        yield


def test_the_space_panel_shows_stage_progress_and_prediction(
    project: Project, enterprise: Any, enterprise_user: Any
) -> None:
    panel = projects_panel(enterprise, enterprise_user)

    assert panel is not None
    assert panel.title == "项目进展"
    (entry,) = panel.context["entries"]
    assert entry[0] == project
    assert entry[1].current_stage_label == "立项"
    assert dict(panel.summary) == {"在建项目": "1", "滞后项目": "1"}
    assert panel in space_cards(enterprise, enterprise_user)


def test_the_panel_of_another_enterprise_is_empty(
    project: Project, other_enterprise: Any, other_enterprise_user: Any
) -> None:
    panel = projects_panel(other_enterprise, other_enterprise_user)

    assert panel is not None and panel.context["entries"] == []


def test_the_timeline_shows_public_events_only(
    project: Project, enterprise: Any, enterprise_user: Any, steward: Any
) -> None:
    services.project_note_add(actor=steward, project=project, note="内部")
    services.project_item_start(actor=steward, item=project.items.get(code="record"))

    entries = project_timeline(enterprise, enterprise_user, None, 10)

    assert [e.status for e in entries] == ["开始办理", "登记项目"]
    assert ("project", "项目进展") in timeline_kinds()
    merged, _cursor = timeline(enterprise, enterprise_user, kinds={"project"})
    assert len(merged) == 2


def test_the_workbench_counts_the_stewards_late_work(project: Project, steward: Any) -> None:
    (panel,) = [p for p in panels_for(steward) if p.title == "项目管家"]
    counters = {c.label: c.value for c in panel.counters}

    assert counters["在办项目"] == 1
    # Planned from September and nothing recorded: every item whose plan has run out.
    overdue = project.items.filter(planned_end_on__lt=dt.date(2026, 11, 26)).count()
    assert counters["逾期事项"] == overdue > 0
    assert counters["滞后项目"] == 1


def test_the_workbench_panel_is_for_stewards_only(enterprise_user: Any) -> None:
    assert not [p for p in panels_for(enterprise_user) if p.title == "项目管家"]


def test_the_workbench_counts_only_the_enterprises_the_steward_serves_as_steward(
    steward: Any, enterprise: Any, other_enterprise: Any
) -> None:
    from qifu.workspace.models import Assignment, AssignmentMethod, AssignmentRole

    Assignment.objects.create(
        enterprise=enterprise,
        role=AssignmentRole.STEWARD,
        user=steward,
        method=AssignmentMethod.MANUAL,
    )
    (panel,) = [p for p in panels_for(steward) if p.title == "项目管家"]
    assert {c.label: c.value for c in panel.counters}["服务企业"] == 1
