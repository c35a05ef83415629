"""Periodic jobs of the investment section (registered in hooks.install): the shared deadline
sweep over the pipeline's node deadlines and the follow-up tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.investment.models import NODE_ORDER, FollowUpTask, Lead, LeadNode
from qifu.investment.pipeline import PROCESS, TASKS
from qifu.investment.services.leads import investment_leads_users
from qifu.notifications.deadlines import DeadlineRule, deadlines_sweep, due_text


def _lead_people(lead: Lead) -> list[Any]:
    upcoming = NODE_ORDER[NODE_ORDER.index(lead.stage) + 1]
    node = LeadNode.objects.filter(lead=lead, stage=upcoming).select_related("owner").first()
    people = {p.pk: p for p in (lead.owner, node.owner if node else None) if p is not None}
    return list(people.values()) or investment_leads_users()


def _lead_message(lead: Lead, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    due = due_text(lead.next_due_at)  # type: ignore[arg-type]
    if kind == "reminded":
        title = f"招商项目节点即将到期：{lead.company}"
        body = f"{lead.reference}计划于{due}前到达“{rule.what}”，请抓紧推进。"
    else:
        title = f"招商项目节点滞后：{lead.company}"
        body = (
            f"{lead.reference}计划于{due}前到达“{rule.what}”，现已滞后，"
            "请推进或调整计划并说明原因。"
        )
    return title, body, reverse("investment:lead", args=[lead.pk])


def leads_deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the responsible people within one working day of a node's planned date, and send a
    slip notice once when it passes (again for each new date)."""
    return deadlines_sweep(
        process=PROCESS,
        queryset=Lead.objects.select_related("owner"),
        recipients=_lead_people,
        message=_lead_message,
        now=now,
    )


def _task_message(task: FollowUpTask, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    title = "跟进任务即将到期" if kind == "reminded" else "跟进任务已超期"
    return title, f"“{task.title}”应于{due_text(task.due_at)}前完成。", TASKS.url(task)


def tasks_deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    return deadlines_sweep(
        process=TASKS,
        queryset=FollowUpTask.objects.select_related("assignee"),
        recipients=lambda task: [task.assignee],
        message=_task_message,
        now=now,
    )


def reminders_sweep() -> dict[str, int]:
    """The scheduled job: node deadlines and follow-up tasks."""
    tasks = tasks_deadline_sweep()
    return {**leads_deadline_sweep(), **{f"task_{k}": v for k, v in tasks.items()}}
