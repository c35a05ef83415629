"""Periodic jobs of the appeal mechanism, on the shared deadline sweep of every process.

- Reminders within one working day of the current stage's deadline (an approved extension's,
  when there is one) and an overdue mark once it has passed, written on the timeline as 超期 by
  the process itself (history row and audit), each once per deadline.
- A reminder to the department before the limit for first contact with the enterprise
  (APPEAL_CONTACT_WORKING_DAYS, art. 16: 及时与诉求企业取得联系), once per round.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from qifu.appeals.models import Appeal, AppealAction, Assignment, Stage
from qifu.appeals.workflow import PROCESS
from qifu.notifications.deadlines import DeadlineRule, deadlines_sweep, due_text
from qifu.workdays.calendar import deadline_after


def _recipients(appeal: Appeal) -> list[Any]:
    from qifu.appeals import notifications

    return notifications.reminder_targets(appeal)


def _message(appeal: Appeal, rule: DeadlineRule, kind: str) -> tuple[str, str, str]:
    subject = f"诉求{appeal.number}“{appeal.title}”"
    due = due_text(appeal.current_due_at)
    if kind == "reminded":
        title, body = f"诉求待{rule.what}", f"{subject}应于{due}前{rule.what}，请及时处理。"
    else:
        title, body = "诉求已超期", f"{subject}已超过{rule.what}期限（{due}），请立即处理。"
    return title, body, reverse("appeals:detail", args=[appeal.pk])


def _mark_overdue(appeal: Appeal, rule: DeadlineRule, now: dt.datetime) -> None:
    with PROCESS.act(appeal, AppealAction.OVERDUE, actor=None) as step:
        step.obj.was_overdue = True
        step.note = (
            f"已超过{rule.what}期限（{timezone.localtime(appeal.current_due_at):%Y-%m-%d %H:%M}）。"
        )


def deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Reminders before each stage's deadline and overdue marks, once per deadline."""
    return deadlines_sweep(
        process=PROCESS,
        queryset=Appeal.objects.select_related("department"),
        recipients=_recipients,
        message=_message,
        now=now,
        on_overdue=_mark_overdue,
    )


def remind_contact(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Remind the department before its first-contact limit when it has not yet called."""
    from qifu.appeals import notifications
    from qifu.notifications.services import notify

    now = now or timezone.now()
    horizon = deadline_after(start=now, working_days=1).due_at
    pending = (
        Assignment.objects.filter(
            appeal__stage=Stage.DISPATCHED,
            appeal__department=F("department"),
            first_contact_at__isnull=True,
            responded_at__isnull=True,
            returned_at__isnull=True,
            contact_due_at__gt=now,
            contact_due_at__lte=horizon,
        )
        .filter(Q(contact_reminded_for__isnull=True) | ~Q(contact_reminded_for=F("contact_due_at")))
        .select_related("appeal")
    )
    sent = 0
    for assignment in pending[:limit]:
        with transaction.atomic():
            claimed = (
                Assignment.objects.filter(pk=assignment.pk, first_contact_at__isnull=True)
                .filter(
                    Q(contact_reminded_for__isnull=True)
                    | ~Q(contact_reminded_for=F("contact_due_at"))
                )
                .update(contact_reminded_for=F("contact_due_at"))
            )
            if not claimed:
                continue
            appeal = assignment.appeal
            notify(
                users=notifications.reminder_targets(appeal),
                code="generic",
                context={
                    "title": "请及时联系诉求企业",
                    "body": f"诉求{appeal.number}“{appeal.title}”请于"
                    f"{due_text(assignment.contact_due_at or now)}前与企业取得联系并记录。",
                },
                url=reverse("appeals:detail", args=[appeal.pk]),
            )
        sent += 1
    return sent


def sweep() -> dict[str, int]:
    """The scheduled job: deadline reminders and overdue marks, then first-contact reminders."""
    result = deadline_sweep()
    result["contact_reminded"] = remind_contact()
    return result
