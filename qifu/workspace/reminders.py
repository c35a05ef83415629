"""Daily reminders of the exclusive space: licences about to expire, and the annual report.

Each reminder is claimed first by inserting a unique `ReminderClaim` row (kind, subject, step) in
a savepoint; the notification is written in the same savepoint. Whoever loses the insert (a second
run, a second worker) sends nothing, so each reminder goes out exactly once. SMS respects quiet
hours inside `notify`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Enterprise
from qifu.core.claims import claim_once
from qifu.matters.models import ELicence
from qifu.notifications.services import notify
from qifu.workdays.calendar import add_working_days, is_workday
from qifu.workspace.models import AnnualReport, ReminderClaim, ReminderKind
from qifu.workspace.selectors.assignments import commissioner_for
from qifu.workspace.selectors.licences import (
    annual_report_status_from,
    cn_date,
    report_deadline,
    report_year_for,
)

logger = logging.getLogger(__name__)


def _recipients(enterprise: Enterprise) -> list[Any]:
    """The enterprise's active users and its current commissioner."""
    people: list[Any] = list(enterprise.users.filter(is_active=True))
    commissioner = commissioner_for(enterprise)
    if commissioner is not None and commissioner not in people:
        people.append(commissioner)
    return people


def _claim(*, kind: str, subject: str, step: str, enterprise: Enterprise) -> bool:
    """Insert the claim row; False if it exists (already sent, or another worker has it)."""
    return claim_once(ReminderClaim, kind=kind, subject=subject, step=step, enterprise=enterprise)


# --- Licences -----------------------------------------------------------------------------------


def due_licence_step(days_left: int, steps: list[int]) -> int | None:
    """The nearest configured step that is due: with 20 days left and 90/30/7 it is 30.

    A licence found late (imported with 20 days left) gets that one reminder, not all three.
    """
    due = [step for step in steps if days_left <= step]
    return min(due) if due else None


def licence_reminder_subject(licence: ELicence) -> str:
    """The claim subject of a licence's reminders: per validity, so a renewed licence (a new
    expiry date on the same record) is reminded again before its next expiry."""
    until = licence.valid_until.strftime("%Y%m%d") if licence.valid_until else "none"
    return f"licence:{licence.pk}:{until}"


def licence_expiry_reminders(*, today: dt.date | None = None) -> int:
    """Send each licence's due expiry reminder once; returns how many were sent."""
    today = today or timezone.localdate()
    steps = sorted({int(d) for d in settings.LICENCE_EXPIRY_REMINDER_DAYS if int(d) >= 0})
    if not steps:
        return 0
    licences = (
        ELicence.objects.filter(
            valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=max(steps))
        )
        .select_related("enterprise", "department")
        .order_by("valid_until", "id")
    )
    sent = 0
    for licence in licences:
        assert licence.valid_until is not None
        days_left = (licence.valid_until - today).days
        step = due_licence_step(days_left, steps)
        if step is None:
            continue
        with transaction.atomic():
            if not _claim(
                kind=ReminderKind.LICENCE_EXPIRY,
                subject=licence_reminder_subject(licence),
                step=str(step),
                enterprise=licence.enterprise,
            ):
                continue
            when = "今天到期" if days_left == 0 else f"将于{cn_date(licence.valid_until)}到期"
            notify(
                users=_recipients(licence.enterprise),
                code="generic",
                context={
                    "title": f"证照到期提醒：{licence.name}",
                    "body": (
                        f"{licence.enterprise.name}的{licence.name}（{licence.number}）{when}"
                        f"（剩{days_left}天），请及时向{licence.issuer_name or '发证机关'}申请延续"
                        "换发，可向服务专员申请证照换发帮办。"
                    ),
                },
                url=reverse("workspace:licence", args=[licence.pk]),
            )
        sent += 1
    return sent


# --- Annual report ------------------------------------------------------------------------------


def _on_or_after_workday(day: dt.date) -> dt.date:
    return day if is_workday(day) else add_working_days(day, 1)


def annual_reminder_dates(year: int) -> list[tuple[str, dt.date]]:
    """The configured (MM-DD, effective date) pairs of `year`'s window, moved to working days."""
    out: list[tuple[str, dt.date]] = []
    for raw in settings.ANNUAL_REPORT_REMINDER_DATES:
        text = str(raw).strip()
        try:
            month, day = (int(part) for part in text.split("-"))
            planned = dt.date(year, month, day)
        except ValueError:
            logger.warning("ignoring ANNUAL_REPORT_REMINDER_DATES entry %r", raw)
            continue
        effective = _on_or_after_workday(planned)
        if effective <= report_deadline(year - 1):
            out.append((f"{month:02d}-{day:02d}", effective))
    return sorted(out, key=lambda pair: pair[1])


def due_annual_step(today: dt.date) -> str | None:
    """The latest reminder date that has come in today's window (None outside the window)."""
    if today > report_deadline(report_year_for(today)):
        return None
    due = [step for step, effective in annual_reminder_dates(today.year) if effective <= today]
    return due[-1] if due else None


def annual_report_reminders(*, today: dt.date | None = None) -> int:
    """Remind every enterprise that has not marked its report, once per reminder date."""
    today = today or timezone.localdate()
    step = due_annual_step(today)
    if step is None:
        return 0
    year = report_year_for(today)
    reported = AnnualReport.objects.filter(year=year).values("enterprise_id")
    # Skip those already reminded for this date up front; the claim below still decides races.
    reminded = ReminderClaim.objects.filter(
        kind=ReminderKind.ANNUAL_REPORT, step=step, subject__endswith=f":{year}"
    ).values("enterprise_id")
    enterprises = (
        Enterprise.objects.exclude(pk__in=reported)
        .exclude(pk__in=reminded)
        .exclude(founded_on__year__gt=year)
        .order_by("id")
    )
    sent = 0
    for enterprise in enterprises.iterator(chunk_size=500):
        with transaction.atomic():
            if not _claim(
                kind=ReminderKind.ANNUAL_REPORT,
                subject=f"annual:{enterprise.pk}:{year}",
                step=step,
                enterprise=enterprise,
            ):
                continue
            status = annual_report_status_from(
                enterprise_id=enterprise.pk,
                founded_on=enterprise.founded_on,
                reported_on=None,
                today=today,
                year=year,
            )
            notify(
                users=_recipients(enterprise),
                code="generic",
                context={
                    "title": f"企业年报提醒：{year}年度年报",
                    "body": (
                        f"{enterprise.name}：{status.text}。请登录国家企业信用信息公示系统报送，"
                        "报送后在专属空间标记“已报送”即不再提醒。"
                    ),
                },
                url=reverse("workspace:home"),
            )
        sent += 1
    return sent


def reminders_sweep() -> dict[str, int]:
    """The daily job: licence expiry and annual-report reminders (idempotent)."""
    return {
        "licence_expiry": licence_expiry_reminders(),
        "annual_report": annual_report_reminders(),
    }
