"""Demo 项目管家 (facts §7.3): the standard item templates and four construction projects followed
by the steward guanjia (林宏伟), their dates relative to today.

- qiye's 年产2万吨海洋食品精深加工扩建项目 (俚岛镇): in 施工, a few working days behind plan;
- qiye2's 房车生产线技术改造项目: in 规划, on plan;
- 荣成市海晟水产食品有限公司's 冷链物流仓储项目: finished;
- 荣成市海福冷冻食品有限公司's 速冻海产品生产线项目: just registered.

Idempotent: a project whose 项目代码 exists is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.utils import timezone

from qifu.accounts.models import Enterprise, User
from qifu.demo import Output
from qifu.demo.enterprises import QIYE2_CREDIT_CODE, QIYE_CREDIT_CODE
from qifu.projects.models import EventAction, ItemStatus, Project, ProjectKind
from qifu.projects.services import (
    project_create,
    project_item_complete,
    project_item_request_document,
    project_item_start,
    project_item_waive,
    project_note_add,
    project_templates_load,
)
from qifu.workdays.calendar import WorkCalendar


class DemoProject(NamedTuple):
    enterprise: str  # credit code or name
    name: str
    code: str
    kind: str
    investment: str
    site: str
    start_wd_ago: int  # planned start, in working days before today (negative: after)
    done: tuple[str, ...]  # item codes completed, in order
    started: tuple[str, ...]  # item codes in progress
    delays: dict[str, int]  # extra working days an item took beyond its plan


PROJECTS = [
    DemoProject(
        QIYE_CREDIT_CODE,
        "年产2万吨海洋食品精深加工扩建项目",
        "2026-371082-13-03-021587",
        ProjectKind.RECORD,
        "18600",
        "蔚蓝谷海洋食品产业园",
        44,
        (
            "record",
            "land-preview",
            "land-planning",
            "design-review",
            "works-planning",
            "drawing-review",
        ),
        ("fire-design",),
        {"land-preview": 2, "works-planning": 1},
    ),
    DemoProject(
        QIYE2_CREDIT_CODE,
        "房车生产线技术改造项目",
        "2026-371082-36-03-030412",
        ProjectKind.RECORD,
        "9800",
        "房车产业园（荣成经济开发区）",
        18,
        ("record", "land-preview", "land-planning"),
        ("design-review",),
        {},
    ),
    DemoProject(
        "荣成市海晟水产食品有限公司",
        "冷链物流仓储项目",
        "2025-371082-59-03-087265",
        ProjectKind.RECORD,
        "5200",
        "寻山冷链物流园",
        140,
        (
            "record",
            "land-preview",
            "land-planning",
            "design-review",
            "works-planning",
            "drawing-review",
            "fire-design",
            "construction-permit",
            "joint-acceptance",
            "completion-record",
        ),
        (),
        {"fire-design": -3, "joint-acceptance": 2},
    ),
    DemoProject(
        "荣成市海福冷冻食品有限公司",
        "速冻海产品生产线项目",
        "2026-371082-13-03-041193",
        ProjectKind.APPROVE,
        "12500",
        "石岛工业园",
        -5,
        (),
        (),
        {},
    ),
]


def _enterprise(key: str) -> Enterprise | None:
    return (
        Enterprise.objects.filter(credit_code=key).first()
        or Enterprise.objects.filter(name=key).first()
    )


def _advance(project: Project, steward: User, spec: DemoProject, cal: WorkCalendar) -> None:
    """Record what happened: each item starts on its plan shifted by the delays so far."""
    items = {i.code: i for i in project.items.all()}
    today = timezone.localdate()
    shift = 0
    for code in (*spec.done, *spec.started):
        item = items.get(code)
        if item is None or item.planned_start_on is None or item.planned_end_on is None:
            continue
        start = min(cal.add_working_days(item.planned_start_on, shift), today)
        if code in spec.started:
            project_item_start(actor=steward, item=item, on=start)
            continue
        shift += spec.delays.get(code, 0)
        end = min(max(cal.add_working_days(item.planned_end_on, shift), start), today)
        project_item_start(actor=steward, item=item, on=start)
        item.refresh_from_db()
        project_item_complete(actor=steward, item=item, on=end, note="已取得批复，电子证照已归集。")


def _backdate(project: Project) -> None:
    """Date the history by what it records (the demo replays months of work in one run)."""
    tz = timezone.get_current_timezone()
    for event in project.events.select_related("item"):
        item = event.item
        day, hour = None, 10
        if event.action == EventAction.CREATE:
            day = project.planned_start_on - dt.timedelta(days=3)
        elif event.action == EventAction.START and item is not None:
            day, hour = item.actual_start_on, 9
        elif event.action == EventAction.COMPLETE and item is not None:
            day, hour = item.actual_end_on, 16
        elif event.action == EventAction.FINISH:
            day, hour = project.completed_on, 17
        if day is not None:
            event.at = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
            event.save(update_fields=["at"])


def seed(*, stdout: Output) -> None:
    result = project_templates_load()
    steward = User.objects.filter(username="guanjia").first()
    staff = User.objects.filter(username="pingtai").first()
    if steward is None or staff is None:
        stdout.write("项目管家：缺少演示账号 guanjia/pingtai，跳过。\n")
        return
    cal = WorkCalendar()
    today = timezone.localdate()
    created = 0
    for spec in PROJECTS:
        if Project.objects.filter(code=spec.code).exists():
            continue
        enterprise = _enterprise(spec.enterprise)
        if enterprise is None:
            continue
        start: dt.date = cal.add_working_days(today, -spec.start_wd_ago)
        project = project_create(
            actor=staff,
            enterprise=enterprise,
            name=spec.name,
            code=spec.code,
            kind=spec.kind,
            total_investment=Decimal(spec.investment),
            site=spec.site,
            planned_start_on=start,
            steward=steward,
        )
        _advance(project, steward, spec, cal)
        created += 1
        if spec.code == PROJECTS[0].code:
            project_note_add(
                actor=steward,
                project=project,
                note="消防设计审查需补充冷库防火分区说明，已联系设计单位，预计3个工作日内补齐。",
                is_internal=False,
            )
            project_note_add(
                actor=steward,
                project=project,
                note="企业资金到位情况良好，施工单位已确定（内部记录）。",
            )
            fire = project.items.get(code="fire-design")
            project_item_request_document(
                actor=steward, item=fire, what="冷库防火分区说明（加盖公章的PDF）"
            )
        if spec.code == PROJECTS[1].code:
            # 带方案出让: the land came with an approved scheme, no separate review (facts §7.3).
            item = project.items.filter(code="design-review", status=ItemStatus.IN_PROGRESS).first()
            if item is not None:
                project_item_waive(
                    actor=steward, item=item, reason="土地为带方案出让，设计方案已随出让审定。"
                )
                works = project.items.get(code="works-planning")
                project_item_start(actor=steward, item=works, on=today)
        _backdate(project)
    stdout.write(
        f"项目管家：事项模板新增 {result['created']} 项；"
        f"建设项目新增 {created} 个（管家 {steward}）\n"
    )
