"""The investment pipeline as data: its nodes, the actions between them, and who may take each.

    线索 ─advance→ 接洽 ─advance→ 考察 ─advance→ 洽谈 ─advance→ 签约 ─advance→ 注册 ─advance→ 开工
      ─advance→ 投产;   any open node ─terminate(reason)→ 终止 ─reopen→ the node it left

`TRANSITIONS` is the whole table. Every change of a lead's node goes through `transition()`: it
locks the row, refuses what the table forbids (TransitionNotAllowed → HTTP 409 and a message on
the page), runs the action's step (e.g. registration at 注册), writes the node, the plan's
"reached" time, the next deadline, the history row and the audit event, and writes the
notifications in the same transaction (delivered after commit by the outbox).

This module stands alone so that moving it onto the platform's shared workflow mechanism
(`qifu/core/workflow.py`, issue 11) is a matter of handing it the table and the steps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.core.workflow import TransitionNotAllowed as BaseTransitionNotAllowed
from qifu.investment import access
from qifu.investment.models import (
    CLOSED_STAGES,
    NODE_ORDER,
    EventAction,
    Lead,
    LeadEvent,
    LeadNode,
    Stage,
    next_stage,
)
from qifu.workdays.calendar import WorkCalendar

OPEN_NODES = frozenset(s for s in NODE_ORDER if s not in CLOSED_STAGES)


class TransitionNotAllowed(BaseTransitionNotAllowed):
    """The lead's node does not allow the action (HTTP 409)."""


Permission = Callable[[Any, Lead], bool]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    # None: the next node on the line (advance) or the node it left (reopen).
    target: str | None
    permission: Permission


TRANSITIONS: dict[str, Transition] = {
    "advance": Transition("advance", "推进到下一节点", OPEN_NODES, None, access.can_work_lead),
    "terminate": Transition(
        "terminate", "终止", OPEN_NODES, Stage.TERMINATED, access.can_work_lead
    ),
    "reopen": Transition(
        "reopen",
        "恢复跟进",
        frozenset({Stage.TERMINATED}),
        None,
        lambda user, lead: access.is_team_lead(user),
    ),
}


def target_of(transition: Transition, lead: Lead) -> str:
    if transition.target is not None:
        return transition.target
    if transition.action == "reopen":
        return lead.terminated_from or Stage.LEAD
    target = next_stage(lead.stage)
    assert target is not None  # every source of advance has a next node
    return target


def allowed(user: Any, lead: Lead, action: str) -> bool:
    """Whether to offer the action; `transition()` checks the same again under the lock."""
    rule = TRANSITIONS[action]
    return lead.stage in rule.sources and rule.permission(user, lead)


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


def next_due(lead: Lead) -> dt.datetime | None:
    """The current node's deadline: the next node's planned date at the cut-off, or None."""
    upcoming = next_stage(lead.stage) if lead.stage not in CLOSED_STAGES else None
    if upcoming is None:
        return None
    node = LeadNode.objects.filter(lead=lead, stage=upcoming).first()
    if node is None or node.planned_on is None:
        return None
    return node_due_at(node.planned_on)


def refresh_due(lead: Lead) -> None:
    """Store the deadline again; a new date clears the sweep's markers so it is reminded anew."""
    due = next_due(lead)
    if due != lead.next_due_at:
        lead.next_due_at = due
        lead.reminded_for = None
        lead.overdue_marked_for = None


# --- history --------------------------------------------------------------------------------


def actor_label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "投资方（在线登记）"
    department = getattr(user, "department", None)
    name = user.real_name or user.username
    return f"{name}（{department.display_name}）" if department else name


def event(
    lead: Lead,
    *,
    action: str,
    actor: Any,
    note: str = "",
    from_stage: str = "",
    to_stage: str = "",
    audit: bool = True,
) -> LeadEvent:
    """Write one history row and its audit event (`investment.lead.<action>`)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    row = LeadEvent.objects.create(
        lead=lead,
        action=action,
        from_stage=from_stage,
        to_stage=to_stage,
        actor=user,
        actor_label=actor_label(user),
        at=timezone.now(),
        note=note[:2000],
    )
    if audit:
        audit_record(
            action=f"investment.lead.{action}",
            actor=user,
            username="" if user else "anonymous",
            target=lead,
            summary=f"{lead.reference} {EventAction(action).label}"
            + (f"：{Stage(from_stage).label} → {Stage(to_stage).label}" if to_stage else ""),
            data={"from": from_stage, "to": to_stage} if to_stage else {},
        )
    return row


# --- the one way to change a node -----------------------------------------------------------


Step = Callable[[Lead, str], None]


def transition(
    *,
    lead: Lead,
    action: str,
    actor: Any,
    note: str = "",
    expected_target: str | None = None,
    step: Step | None = None,
    after: Callable[[Lead, str, str], None] | None = None,
) -> Lead:
    """Take `action` on the lead: lock, check the table and the permission, run the step, write
    the node, the plan, the deadline, the history and the audit, notify — all in one transaction.

    `expected_target` (the API's `stage`) must equal the node the action leads to, else 409.
    `step(locked, target)` runs before the node changes (it may raise to refuse); `after(locked,
    source, target)` writes the notifications once the change is recorded.
    """
    rule = TRANSITIONS[action]
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if locked.stage not in rule.sources:
            raise TransitionNotAllowed(
                f"项目当前节点为“{locked.get_stage_display()}”，不能{rule.label}。"  # type: ignore[attr-defined]
                "可能已被他人处理，请刷新后查看。"
            )
        if not rule.permission(actor, locked):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(f"您不能对该项目执行“{rule.label}”。")
        source = locked.stage
        target = target_of(rule, locked)
        if expected_target is not None and expected_target != target:
            raise TransitionNotAllowed(
                f"项目当前节点为“{Stage(source).label}”，只能推进到“{Stage(target).label}”，"
                f"不能直接到“{_label(expected_target)}”。"
            )
        if step is not None:
            step(locked, target)
        now = timezone.now()
        # The conditional UPDATE is the claim on SQLite, where select_for_update does not lock:
        # of two requests moving the same node, the second matches nothing.
        claimed = Lead.objects.filter(pk=locked.pk, stage=source).update(
            stage=target, stage_changed_at=now, updated_at=now
        )
        if not claimed:
            raise TransitionNotAllowed("该项目刚被其他人处理，请刷新后查看。")
        locked.stage = target
        locked.stage_changed_at = now
        if action == "terminate":
            locked.terminated_from = source
        elif action == "reopen":
            locked.terminated_from = ""
            locked.terminated_reason = ""
        if target == Stage.CONTACT and locked.first_contact_at is None:
            locked.first_contact_at = now
        if target in NODE_ORDER:
            node, _ = LeadNode.objects.get_or_create(lead=locked, stage=target)
            if node.reached_at is None:
                node.reached_at = now
                node.save(update_fields=["reached_at", "updated_at"])
        refresh_due(locked)
        locked.save()
        event(
            locked,
            action=EventAction.ADVANCE if action != "terminate" else EventAction.TERMINATE,
            actor=actor,
            note=note,
            from_stage=source,
            to_stage=target,
        )
        if after is not None:
            after(locked, source, target)
    return locked


def _label(stage: str) -> str:
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage
