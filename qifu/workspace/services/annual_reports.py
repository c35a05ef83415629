"""Marking an enterprise's annual report (企业年报) as filed, and undoing a mistaken mark.

The report itself is filed on the national enterprise credit information publicity system; the
platform records that it was, so that the window's reminders stop (qifu/workspace/reminders.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qifu.accounts.models import Enterprise
from qifu.core.audit import audit_record
from qifu.core.workflow import TransitionNotAllowed
from qifu.workspace.models import AnnualReport, AssignmentRole
from qifu.workspace.selectors.assignments import serves
from qifu.workspace.selectors.licences import cn_date


class AnnualReportNotAllowed(TransitionNotAllowed):
    """Already marked (a double submit), or nothing to undo."""


def can_mark_annual_report(user: Any, enterprise: Enterprise) -> bool:
    """The enterprise's admin, its current commissioner, and platform staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.enterprise_id is not None:
        return bool(user.enterprise_id == enterprise.pk and user.is_enterprise_admin)
    if user.is_platform_staff:
        return True
    return serves(user, enterprise, AssignmentRole.COMMISSIONER)


def _check(user: Any, enterprise: Enterprise) -> None:
    if not can_mark_annual_report(user, enterprise):
        raise PermissionDenied("只有企业管理员、该企业的服务专员和平台工作人员可以标记年报。")


def annual_report_mark(
    *, user: Any, enterprise: Enterprise, year: int, reported_on: dt.date
) -> AnnualReport:
    """Record that the enterprise filed its report for `year` on `reported_on`."""
    _check(user, enterprise)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if year >= today.year:
        errors["year"] = f"{year}年度的年报要到{year + 1}年1月1日才能报送。"
    elif year < 2000:
        errors["year"] = "年度不正确。"
    if reported_on > today:
        errors["reported_on"] = "报送日期不能晚于今天。"
    elif "year" not in errors and reported_on < dt.date(year + 1, 1, 1):
        errors["reported_on"] = f"{year}年度年报的报送日期应在{year + 1}年1月1日或之后。"
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                enterprise=enterprise, year=year, reported_on=reported_on, marked_by=user
            )
            audit_record(
                action="workspace.annual_report.marked",
                actor=user,
                target=report,
                summary=f"{enterprise.name} {year}年度年报标记为已于{cn_date(reported_on)}报送",
                data={"enterprise": enterprise.pk, "year": year, "reported_on": str(reported_on)},
            )
    except IntegrityError as exc:  # unique (enterprise, year): a double submit acts once
        raise AnnualReportNotAllowed(f"{year}年度年报已标记为已报送。") from exc
    return report


@transaction.atomic
def annual_report_unmark(*, user: Any, enterprise: Enterprise, year: int) -> None:
    """Undo a mistaken mark (audited with what was recorded)."""
    _check(user, enterprise)
    report = (
        AnnualReport.objects.select_for_update().filter(enterprise=enterprise, year=year).first()
    )
    if report is None:
        raise AnnualReportNotAllowed(f"{year}年度年报尚未标记为已报送，无需撤销。")
    audit_record(
        action="workspace.annual_report.unmarked",
        actor=user,
        target=report,
        summary=f"{enterprise.name} {year}年度年报撤销“已报送”标记",
        data={
            "enterprise": enterprise.pk,
            "year": year,
            "reported_on": str(report.reported_on),
            "marked_by": report.marked_by_id,
        },
    )
    report.delete()
