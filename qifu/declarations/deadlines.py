"""Reminders before the acceptance and decision deadlines of applications, overdue notices, and
the deadline source that redoes running deadlines when a year's holidays change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from qifu.declarations.models import Application, ApplicationStatus
from qifu.notifications.deadlines import DeadlineRule, deadlines_sweep, due_text
from qifu.workdays.calendar import WorkCalendar
from qifu.workdays.recompute import affected_from, count_moved, moved_deadline

S = ApplicationStatus

RULES = (
    DeadlineRule(ApplicationStatus.SUBMITTED, "accept_due_at", "受理"),
    DeadlineRule(ApplicationStatus.ACCEPTED, "decide_due_at", "审核"),
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
        queryset=Application.objects.select_related("call", "enterprise"),
        rules=RULES,
        recipients=_department_staff,
        message=_message,
        now=now,
    )


# status → (deadline field, start field, working-days field, what), as services.py computes them.
RECOMPUTED: dict[str, tuple[str, str, str, str]] = {
    S.SUBMITTED: ("accept_due_at", "submitted_at", "review_working_days", "受理"),
    S.ACCEPTED: ("decide_due_at", "decide_due_from", "review_working_days", "审核"),
    S.PUBLICIZED: ("publicity_ends_at", "publicity_starts_at", "publicity_working_days", "公示"),
    S.OBJECTION: ("publicity_ends_at", "publicity_starts_at", "publicity_working_days", "公示"),
}


def _recompute_one(application_id: int, years: frozenset[int], cal: WorkCalendar) -> bool:
    from qifu.declarations import services
    from qifu.notifications.services import notify

    try:
        with services._transition(application_id, "deadline") as (locked, pending):
            field, start_field, days_field, what = RECOMPUTED[locked.status]
            moved = moved_deadline(
                cal,
                start=getattr(locked, start_field),
                working_days=getattr(locked, days_field),
                old=getattr(locked, field),
                what=what,
                years=years,
            )
            if moved is None:
                return False
            services._claim(locked, locked.status, **{field: moved.new})
            note = moved.note
            services._event(
                locked, action="deadline", actor=None, status_from=locked.status, note=note
            )
            staff = _department_staff(locked)
            title = f"项目申报期限调整：{locked.project_name}"[:100]
            url = locked.get_absolute_url()

            def send() -> None:
                notify(users=staff, code="generic", context={"title": title, "body": note}, url=url)

            pending.callbacks.append(send)
            return True
    except services.TransitionNotAllowed:
        return False


def application_deadlines_recompute(years: frozenset[int]) -> int:
    """The deadline source of 项目申报: running acceptance, decision and publicity deadlines."""
    since = affected_from(years)
    ids = Application.objects.filter(
        Q(status=S.SUBMITTED, accept_due_at__gte=since)
        | Q(status=S.ACCEPTED, decide_due_at__gte=since)
        | Q(status__in=(S.PUBLICIZED, S.OBJECTION), publicity_ends_at__gte=since)
    ).values_list("pk", flat=True)
    return count_moved(ids, lambda pk, cal: _recompute_one(pk, years, cal))
