"""Exclusive-space panels and timeline sources: the commissioner and steward, service requests
(专员服务) and contacts (走访联系)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.text import Truncator

from qifu.portal.space import SpaceCard, TimelineEntry, register_card, register_timeline_source
from qifu.workspace.models import AssignmentRole, RequestStatus, ServiceRequest
from qifu.workspace.selectors.assignments import current_assignments

STATUS_TONES = {
    RequestStatus.SUBMITTED: "info",
    RequestStatus.ACCEPTED: "warning",
    RequestStatus.WAITING: "warning",
    RequestStatus.COMPLETED: "success",
    RequestStatus.WITHDRAWN: "secondary",
}


@register_card
def people_panel(enterprise: Any, user: Any) -> SpaceCard | None:
    """我的服务专员和项目管家: both people with their official contact, and open requests."""
    if enterprise is None:
        return None
    people = {a.role: a.user for a in current_assignments(enterprise)}
    open_count = ServiceRequest.objects.open().filter(enterprise=enterprise).count()
    commissioner = people.get(AssignmentRole.COMMISSIONER)
    return SpaceCard(
        key="people",
        title="我的服务专员和项目管家",
        template="workspace/_card_people.html",
        context={
            "commissioner": commissioner,
            "steward": people.get(AssignmentRole.STEWARD),
            "open_requests": open_count,
        },
        order=10,
        # The enterprise's own page; staff viewing the dossier have theirs elsewhere.
        link=("专员服务", reverse("workspace:commissioner"))
        if getattr(user, "enterprise_id", None) == enterprise.pk
        else None,
        summary=(
            ("服务专员", str(commissioner) if commissioner else "暂未分配"),
            ("未办结服务申请", str(open_count)),
        ),
    )


@register_timeline_source("service_request", "专员服务")
def service_request_entries(
    enterprise: Any, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = ServiceRequest.objects.filter(enterprise=enterprise).order_by("-submitted_at", "-id")
    if before is not None:
        rows = rows.filter(submitted_at__lt=before)
    return [
        TimelineEntry(
            at=sr.submitted_at,
            kind="service_request",
            kind_label="专员服务",
            title=f"{sr.get_kind_display()}：{sr.title}",
            status=sr.get_status_display(),
            url=reverse("workspace:request", args=[sr.pk]),
            tone=STATUS_TONES.get(RequestStatus(sr.status), "secondary"),
        )
        for sr in rows[:limit]
    ]


@register_timeline_source("contact", "走访联系")
def contact_entries(
    enterprise: Any, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    # The enterprise sees the kind, the time, who and the summary (the form says so).
    rows = enterprise.contact_logs.select_related("staff").order_by("-occurred_at", "-id")
    if before is not None:
        rows = rows.filter(occurred_at__lt=before)
    return [
        TimelineEntry(
            at=log.occurred_at,
            kind="contact",
            kind_label="走访联系",
            title=f"{log.staff}{log.get_kind_display()}：{Truncator(log.summary).chars(60)}",
            status=log.get_kind_display(),
            tone="info",
        )
        for log in rows[:limit]
    ]
