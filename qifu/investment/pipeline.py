"""The investment pipeline as a process of the platform's one workflow mechanism
(`qifu/core/workflow.py`): its nodes, the actions between them, and who may take each.

    线索 ─advance→ 接洽 ─advance→ 考察 ─advance→ 洽谈 ─advance→ 签约 ─advance→ 注册 ─advance→ 开工
      ─advance→ 投产;   any open node ─terminate(reason)→ 终止 ─reopen→ the node it left

`PROCESS` is the whole table; every change of a lead goes through `PROCESS.act()` (or `start()`
for a new lead): it locks the row, refuses what the table forbids (TransitionNotAllowed → HTTP
409 and a message on the page), runs the step (e.g. registration at 注册), writes the node, the
deadline, the history row and the audit event, and writes the notifications in the same
transaction. The deadline of a node is the next node's planned date (each lead has its own plan),
so the steps fix it rather than counting working days from the step; the shared sweep reminds
within one working day of it and sends the slip notice once it passes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from qifu.core.workflow import Deadline, Process, Step, TransitionNotAllowed, action, permission
from qifu.investment import access
from qifu.investment.models import (
    CLOSED_STAGES,
    NODE_ORDER,
    FollowUpTask,
    FollowUpTaskEvent,
    Lead,
    LeadEvent,
    LeadNode,
    Stage,
    TaskStatus,
    next_stage,
)
from qifu.workdays.calendar import WorkCalendar

OPEN_NODES = frozenset(s for s in NODE_ORDER if s not in CLOSED_STAGES)
ALL_STAGES = frozenset(Stage.values)
INVESTOR = "投资方（在线登记）"


@permission("投资方（无需账号）", "")
def anyone(user: Any, lead: Any) -> bool:
    """Online intent registration needs no account (招商推介)."""
    return True


@permission("招商工作人员", "只有招商工作人员可以办理招商项目。")
def can_work(user: Any, lead: Any) -> bool:
    return access.can_work_lead(user, lead)


@permission("招商工作人员", "只有招商工作人员可以录入线索。")
def can_record(user: Any, lead: Any) -> bool:
    return access.is_investment_staff(user)


@permission("招商部门负责人（商务局管理员、联络员）", "只有招商部门负责人可以执行此操作。")
def is_team_lead(user: Any, lead: Any) -> bool:
    return access.is_team_lead(user)


@permission(
    "招商部门负责人，或尚无负责人时的招商工作人员", "只有招商部门负责人可以改派项目负责人。"
)
def can_assign(user: Any, lead: Any) -> bool:
    return access.is_team_lead(user) or (
        access.can_work_lead(user, lead) and lead.owner_id in (None, user.pk)
    )


def _what(state: str) -> str:
    upcoming = next_stage(state)
    return str(Stage(upcoming).label) if upcoming else ""


PROCESS = Process(
    name="investment",
    label="招商项目",
    model=Lead,
    states=Stage,
    history=LeadEvent,
    subject="lead",
    state_field="stage",
    lock_related=("owner",),
    audit_prefix="investment.lead",
    url=lambda lead: reverse("investment:lead", args=[lead.pk]),
    number=lambda lead: lead.reference,
    actions=[
        action("intent", "在线登记意向", sources=[], to=Stage.LEAD, allowed=anyone),
        action("create", "录入线索", sources=[], to=Stage.LEAD, allowed=can_record),
        action(
            "advance", "推进到下一节点", sources=OPEN_NODES, to=NODE_ORDER[1:], allowed=can_work
        ),
        action("terminate", "终止", sources=OPEN_NODES, to=Stage.TERMINATED, allowed=can_work),
        action(
            "reopen", "恢复跟进", sources=[Stage.TERMINATED], to=OPEN_NODES, allowed=is_team_lead
        ),
        action("contact", "联系投资方", sources=ALL_STAGES, allowed=can_work),
        action("assign", "确定负责人", sources=ALL_STAGES, allowed=can_assign),
        action("plan", "调整节点计划", sources=OPEN_NODES, allowed=can_work),
        action("member", "调整团队成员", sources=ALL_STAGES, allowed=can_work),
        action("document", "上传佐证材料", sources=ALL_STAGES, allowed=can_work),
        action("update", "修改项目信息", sources=ALL_STAGES, allowed=can_work),
        action("visit", "关联来访", sources=ALL_STAGES, allowed=can_record),
        action("task", "布置跟进任务", sources=ALL_STAGES, allowed=can_work, public=False),
    ],
    entries={"duplicate": "标记疑似重复", "register": "注册落地，企业入驻平台"},
    deadlines=[
        Deadline(
            states=OPEN_NODES,
            field="next_due_at",
            # Only for a lead without a plan; every step fixes the planned date (see above).
            working_days=lambda lead: settings.INVESTMENT_NODE_WORKING_DAYS.get("contact", 1),
            rule="INVESTMENT_NODE_WORKING_DAYS 规定的各节点工作日内",
            what={state: _what(state) for state in OPEN_NODES},
        )
    ],
)


@permission("承办人或招商部门负责人", "只有承办人可以办结此任务。")
def can_close_task(user: Any, task: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (task.assignee_id == user.pk or access.is_team_lead(user))
    )


# Follow-up tasks: set with a deadline the sweep reminds of, then done or cancelled.
TASKS = Process(
    name="investment_tasks",
    label="跟进任务",
    model=FollowUpTask,
    states=TaskStatus,
    history=FollowUpTaskEvent,
    subject="task",
    audit_prefix="investment.task",
    url=lambda t: (
        reverse("investment:lead", args=[t.lead_id]) if t.lead_id else reverse("investment:tasks")
    ),
    number=lambda t: t.title[:40],
    actions=[
        action("create", "布置任务", sources=[], to=TaskStatus.OPEN, allowed=can_record),
        action(
            "complete",
            "办结",
            sources=[TaskStatus.OPEN],
            to=TaskStatus.DONE,
            allowed=can_close_task,
        ),
        action(
            "cancel",
            "取消",
            sources=[TaskStatus.OPEN],
            to=TaskStatus.CANCELLED,
            allowed=can_close_task,
        ),
    ],
    deadlines=[
        # The due time is the creator's; the table only says that an open task carries it.
        Deadline(states=frozenset({TaskStatus.OPEN}), field="due_at", working_days=1, what="完成")
    ],
)


def allowed(user: Any, lead: Lead, action_name: str) -> bool:
    """Whether to offer the action; the step checks the same again under the lock."""
    return PROCESS.can(user, action_name, lead)


# --- deadlines ------------------------------------------------------------------------------


def node_due_at(day: dt.date) -> dt.datetime:
    """A node planned for a day is due at that day's cut-off time (17:00)."""
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(day, settings.WORKDAY_CUTOFF, tzinfo=tz)


def default_plan(start: dt.date, *, after: str = Stage.LEAD) -> dict[str, dt.date]:
    """Planned dates of the nodes after `after`, each the configured number of working days
    after the previous one (INVESTMENT_NODE_WORKING_DAYS)."""
    calendar = WorkCalendar()
    spans: dict[str, int] = settings.INVESTMENT_NODE_WORKING_DAYS
    plan: dict[str, dt.date] = {}
    day = start
    for stage in NODE_ORDER[NODE_ORDER.index(after) + 1 :]:
        day = calendar.add_working_days(day, max(spans.get(stage, 10), 1))
        plan[stage] = day
    return plan


def due_in(lead: Lead, stage: str) -> dt.datetime | None:
    """The deadline of a lead in `stage`: the next node's planned date at the cut-off."""
    upcoming = next_stage(stage) if stage not in CLOSED_STAGES else None
    if upcoming is None:
        return None
    node = LeadNode.objects.filter(lead=lead, stage=upcoming).first()
    if node is None or node.planned_on is None:
        return None
    return node_due_at(node.planned_on)


def fix_due(step: Step, stage: str | None = None) -> None:
    """Set the lead's deadline for the node it is (or is about to be) in."""
    lead = step.obj
    step.fix_deadline("next_due_at", due_in(lead, stage or lead.stage))


def refresh_due(lead: Lead) -> None:
    """Store the deadline again outside a step (the demo dates its history back)."""
    lead.next_due_at = due_in(lead, lead.stage)


__all__ = [
    "PROCESS",
    "TASKS",
    "TransitionNotAllowed",
    "allowed",
    "default_plan",
    "fix_due",
    "node_due_at",
]
