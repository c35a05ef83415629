"""Reminders before a matter application's handling deadline, overdue notices, and the deadline
source that keeps open deadlines right when a year's holidays change (qifu/workdays/recompute)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.matters.models import MatterApplication, Status
from qifu.notifications.deadlines import DeadlineRule, deadlines_sweep, due_text
from qifu.workdays.calendar import WorkCalendar
from qifu.workdays.recompute import affected_from, count_moved, moved_deadline

# The promised limit runs from submission through acceptance until the decision.
RULES = (
    DeadlineRule(Status.SUBMITTED, "due_at", "受理"),
    DeadlineRule(Status.ACCEPTED, "due_at", "办结"),
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
        queryset=MatterApplication.objects.select_related("matter", "enterprise"),
        rules=RULES,
        recipients=_department_staff,
        message=_message,
        now=now,
    )


def _recompute_one(application_id: int, years: frozenset[int], cal: WorkCalendar) -> bool:
    """The promised limit again from the (re)submission, under the application's lock."""
    from qifu.matters import services

    try:
        with services._transition(application_id, "deadline") as (locked, callbacks):
            moved = moved_deadline(
                cal,
                start=locked.submitted_at,
                working_days=locked.due_working_days,
                old=locked.due_at,
                what="办理",
                years=years,
            )
            if moved is None:
                return False
            locked.due_at = moved.new
            locked.save(update_fields=["due_at", "updated_at"])
            note = moved.note
            services._event(
                locked, action="deadline", actor=None, status_from=locked.status, note=note
            )
            services._notify_later(
                callbacks,
                users=services._department_users(locked),
                application=locked,
                title=f"办件期限调整：{locked.matter.name}",
                body=f"{locked.enterprise.name}的办件 {locked.number}：{note}",
            )
            return True
    except services.TransitionNotAllowed:
        return False  # decided or sent back for supplements meanwhile


def application_deadlines_recompute(years: frozenset[int]) -> int:
    """The deadline source of 办件: submitted and accepted applications due in or after them."""
    ids = MatterApplication.objects.filter(
        status__in=(Status.SUBMITTED, Status.ACCEPTED), due_at__gte=affected_from(years)
    ).values_list("pk", flat=True)
    return count_moved(ids, lambda pk, cal: _recompute_one(pk, years, cal))
