"""校企共建's deadline: the invited side answers a proposal (the shared sweep, and the source
that follows a change of a year's holidays)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from qifu.cooperation.models import Cooperation
from qifu.cooperation.workflow import PROCESS
from qifu.notifications.deadlines import (
    DeadlineRule,
    deadlines_sweep,
    due_text,
    process_deadlines_recompute,
)


def _invited(cooperation: Cooperation) -> list[Any]:
    from qifu.cooperation.services import invited_users

    return invited_users(cooperation)


def _message(cooperation: Cooperation, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    subject = f"校企对接“{cooperation.title}”（{cooperation.number}）"
    due = due_text(cooperation.respond_due_at)  # type: ignore[arg-type]
    title = "校企对接待答复" if kind == "reminded" else "校企对接答复已超期"
    return (
        title,
        f"{subject}应于{due}前答复。",
        reverse("cooperation:record", args=[cooperation.pk]),
    )


def _mark_overdue(cooperation: Cooperation, rule: DeadlineRule, now: dt.datetime) -> None:
    with PROCESS.act(cooperation, "overdue", actor=None) as step:
        due = step.obj.respond_due_at
        step.note = f"已超过答复期限（{timezone.localtime(due):%Y-%m-%d %H:%M}）。"


def cooperation_deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    return deadlines_sweep(
        process=PROCESS,
        queryset=Cooperation.objects.select_related("enterprise", "provider"),
        recipients=_invited,
        message=_message,
        now=now,
        on_overdue=_mark_overdue,
    )


def cooperation_deadlines_recompute(years: frozenset[int]) -> int:
    return process_deadlines_recompute(process=PROCESS, years=years, responsible=_invited)
