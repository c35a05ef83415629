"""Reminders before a matter application's handling deadline, overdue notices, and the deadline
source that keeps open deadlines right when a year's holidays change (qifu/workdays/recompute)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.matters.models import MatterApplication
from qifu.matters.workflow import PROCESS
from qifu.notifications.deadlines import (
    DeadlineRule,
    deadlines_sweep,
    due_text,
    process_deadlines_recompute,
)


def _department_staff(application: MatterApplication) -> list[Any]:
    from qifu.accounts.models import User

    users = User.objects.filter(
        department_id=application.matter.department_id, is_active=True
    ).prefetch_related("role_grants")
    return [u for u in users if u.is_government]


def _message(application: MatterApplication, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    title = f"办件待{rule.what}" if kind == "reminded" else f"办件{rule.what}已超期"
    body = (
        f"{application.enterprise.name}申请的“{application.matter.name}”（{application.number}）"
        f"应于{due_text(getattr(application, rule.field))}前{rule.what}。"
    )
    return title, body, reverse("matters:application", args=[application.pk])


def applications_deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the matter's department within one working day of the deadline, and once overdue."""
    return deadlines_sweep(
        process=PROCESS,
        queryset=MatterApplication.objects.select_related("matter", "enterprise"),
        recipients=_department_staff,
        message=_message,
        now=now,
    )


def application_deadlines_recompute(years: frozenset[int]) -> int:
    """The deadline source of 办件: the promised limit again from the (re)submission."""
    return process_deadlines_recompute(process=PROCESS, years=years, responsible=_department_staff)
