from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine

from qifu.demo import accounts, enterprises, organisations, projects
from qifu.projects.models import Project, ProjectStatus, Stage
from qifu.projects.tests.conftest import TZ

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=TZ), tick=False):
        yield


def test_the_demo_projects_are_realistic_and_seeding_twice_adds_nothing() -> None:
    out = StringIO()
    for step in (organisations.seed, enterprises.seed, accounts.seed, projects.seed):
        step(stdout=out)
    projects.seed(stdout=out)

    rows = {p.name: p for p in Project.objects.select_related("steward", "enterprise")}
    assert len(rows) == 4
    qiye = rows["年产2万吨海洋食品精深加工扩建项目"]
    assert qiye.current_stage == Stage.CONSTRUCTION
    assert qiye.town is not None and qiye.town.name == "俚岛镇"
    assert qiye.steward is not None and qiye.steward.username == "guanjia"
    assert rows["房车生产线技术改造项目"].current_stage == Stage.PLANNING
    assert rows["冷链物流仓储项目"].status == ProjectStatus.COMPLETED
    assert rows["速冻海产品生产线项目"].events.count() == 1
    assert "建设项目新增 0 个" in out.getvalue().splitlines()[-1]


def test_the_qiye_project_runs_a_little_behind(db: Any) -> None:
    from qifu.projects import selectors

    out = StringIO()
    for step in (organisations.seed, enterprises.seed, accounts.seed, projects.seed):
        step(stdout=out)
    project = Project.objects.get(code=projects.PROJECTS[0].code)

    schedule = selectors.schedule_of(project, selectors.items_for_schedule(project))

    assert 0 < schedule.slip <= 10
