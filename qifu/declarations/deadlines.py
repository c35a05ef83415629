"""Reminders before the acceptance and decision deadlines of applications, overdue notices, and
the deadline source that keeps running deadlines right when a year's holidays change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qifu.declarations.models import Application
from qifu.declarations.workflow import PROCESS
from qifu.notifications.deadlines import (
    DeadlineRule,
    deadlines_sweep,
    due_text,
    process_deadlines_recompute,
)


def _department_staff(application: Application) -> list[Any]:
    from qifu.accounts.models import User

    users = User.objects.filter(
        department_id=application.call.provider_department_id, is_active=True
    ).prefetch_related("role_grants")
    return [u for u in users if u.is_government]


def _message(application: Application, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    title = f"项目申报待{rule.what}" if kind == "reminded" else f"项目申报{rule.what}已超期"
    due = due_text(getattr(application, rule.field))
    body = (
        f"{application.enterprise.name}的“{application.project_name}”"
        f"（{application.call.title}）应于{due}前{rule.what}。"
    )
    return title, body, application.get_absolute_url()


def applications_deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the call's department within one working day of a deadline, and once overdue."""
    return deadlines_sweep(
        process=PROCESS,
        queryset=Application.objects.select_related("call", "enterprise"),
        recipients=_department_staff,
        message=_message,
        now=now,
    )


def application_deadlines_recompute(years: frozenset[int]) -> int:
    """The deadline source of 项目申报: running acceptance, decision and publicity deadlines."""
    return process_deadlines_recompute(process=PROCESS, years=years, responsible=_department_staff)
