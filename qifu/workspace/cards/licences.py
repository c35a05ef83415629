"""Exclusive-space panels and timeline sources: e-licences (电子证照) and the annual report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from qifu.accounts.models import Enterprise
from qifu.matters.models import ELicence, LicenceSource, LicenceValidity
from qifu.portal.space import SpaceCard, TimelineEntry, register_card, register_timeline_source
from qifu.workspace.forms.licences import AnnualReportMarkForm
from qifu.workspace.selectors import licences as selectors
from qifu.workspace.selectors.space import is_own_space
from qifu.workspace.services.annual_reports import can_mark_annual_report

SOONEST_SHOWN = 3


def _licences_url(user: Any, enterprise: Enterprise) -> str:
    base = reverse("workspace:licences")
    if is_own_space(user, enterprise):
        return base
    return f"{base}?{urlencode({'enterprise': enterprise.credit_code})}"


@register_card
def licences_panel(enterprise: Enterprise, user: Any) -> SpaceCard | None:
    today = timezone.localdate()
    rows = selectors.licence_rows(selectors.licences_of(enterprise), today=today)
    counts = selectors.licence_counts(rows)
    soonest = [
        row for row in rows if row.validity in (LicenceValidity.EXPIRING, LicenceValidity.EXPIRED)
    ][:SOONEST_SHOWN]
    in_force = counts[LicenceValidity.VALID] + counts[LicenceValidity.PERMANENT]
    return SpaceCard(
        key="licences",
        title="电子证照",
        template="workspace/_card_licences.html",
        context={
            "counts": counts,
            "total": len(rows),
            "in_force": in_force,
            "soonest": soonest,
            "warn_days": selectors.licence_warn_days(),
        },
        order=30,
        link=("全部证照", _licences_url(user, enterprise)),
        summary=(
            ("有效证照", str(in_force + counts[LicenceValidity.EXPIRING])),
            ("即将到期", str(counts[LicenceValidity.EXPIRING])),
        ),
    )


@register_card
def annual_report_panel(enterprise: Enterprise, user: Any) -> SpaceCard | None:
    today = timezone.localdate()
    status = selectors.annual_report_status(enterprise, today=today)
    can_mark = can_mark_annual_report(user, enterprise)
    form = AnnualReportMarkForm(initial={"year": status.year}, auto_id="id_annual_%s")
    return SpaceCard(
        key="annual-report",
        title="企业年报",
        template="workspace/_card_annual_report.html",
        context={"status": status, "can_mark": can_mark, "form": form},
        order=31,
        summary=(("年报", status.label),),
    )


@register_timeline_source("licence", "证照")
def licence_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = ELicence.objects.filter(enterprise=enterprise)
    if before:
        rows = rows.filter(created_at__lt=before)
    rows = rows.select_related("department").order_by("-created_at", "-id")[:limit]
    today = timezone.localdate()
    entries = []
    for licence in rows:
        row = selectors.licence_row(licence, today=today)
        verb = "导入" if licence.source == LicenceSource.IMPORTED else "核发"
        entries.append(
            TimelineEntry(
                at=licence.created_at,
                kind="licence",
                kind_label="证照",
                title=f"{verb}电子证照“{licence.name}”（{licence.issuer_name}）",
                status=row.validity_text,
                url=reverse("workspace:licence", args=[licence.pk]),
                tone=row.tone,
            )
        )
    return entries
