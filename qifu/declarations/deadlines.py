"""Reminders before the acceptance and decision deadlines of applications, and overdue notices.

Each fires once per deadline: the sweep claims an application with a conditional UPDATE on the
deadline it acts for, so two workers or a second run never notify twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from qifu.declarations.models import Application, ApplicationStatus
from qifu.workdays.calendar import deadline_after

# Which deadline applies in which status, and what the department must do by then.
DEADLINES = {
    ApplicationStatus.SUBMITTED: ("accept_due_at", "受理"),
    ApplicationStatus.ACCEPTED: ("decide_due_at", "审核"),
}


def _department_staff(application: Application) -> list[Any]:
    from qifu.accounts.models import User

    users = User.objects.filter(
        department_id=application.call.provider_department_id, is_active=True
    ).prefetch_related("role_grants")
    return [u for u in users if u.is_government]


def _claim(application: Application, field: str, marker: str, due: dt.datetime) -> bool:
    updated = (
        Application.objects.filter(pk=application.pk, status=application.status, **{field: due})
        .filter(Q(**{f"{marker}__isnull": True}) | ~Q(**{marker: due}))
        .update(**{marker: due})
    )
    return updated == 1


def applications_deadline_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the call's department within one working day of a deadline, and once overdue."""
    from qifu.notifications.services import notify

    now = now or timezone.now()
    horizon = deadline_after(start=now, working_days=1).due_at
    counts = {"reminded": 0, "overdue": 0}
    for status, (field, what) in DEADLINES.items():
        base = Application.objects.filter(status=status, **{f"{field}__isnull": False})
        soon = base.filter(**{f"{field}__gt": now, f"{field}__lte": horizon}).filter(
            Q(reminded_for__isnull=True) | ~Q(reminded_for=F(field))
        )
        late = base.filter(**{f"{field}__lte": now}).filter(
            Q(overdue_marked_for__isnull=True) | ~Q(overdue_marked_for=F(field))
        )
        for kind, queryset, marker in (
            ("reminded", soon, "reminded_for"),
            ("overdue", late, "overdue_marked_for"),
        ):
            for application in queryset.select_related("call", "enterprise")[:500]:
                due = getattr(application, field)
                with transaction.atomic():
                    if not _claim(application, field, marker, due):
                        continue
                    at = timezone.localtime(due).strftime("%m月%d日 %H:%M")
                    title = f"项目申报待{what}" if kind == "reminded" else f"项目申报{what}已超期"
                    body = (
                        f"{application.enterprise.name}的“{application.project_name}”"
                        f"（{application.call.title}）应于{at}前{what}。"
                    )
                    notify(
                        users=_department_staff(application),
                        code="generic",
                        context={"title": title, "body": body},
                        url=application.get_absolute_url(),
                        channels=("inbox", "sms") if kind == "overdue" else ("inbox",),
                    )
                counts[kind] += 1
    return counts
