"""Periodic jobs of the exclusive space's commissioner work, run by django-q2's scheduler."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.notifications.deadlines import DeadlineRule, due_text
from qifu.notifications.deadlines import deadlines_sweep as shared_sweep
from qifu.workspace.models import AssignmentRole, ServiceRequest
from qifu.workspace.workflow import PROCESS

# Acceptance runs while submitted, completion while accepted; waiting for the enterprise has no
# deadline in force (the clock stops, see qifu/workspace/workflow.py).


def _recipients(service_request: ServiceRequest) -> list[Any]:
    from qifu.workspace.services.requests import space_admin_users

    if service_request.commissioner is not None:
        return [service_request.commissioner]
    return list(space_admin_users())


def _message(
    service_request: ServiceRequest, rule: DeadlineRule, kind: str
) -> tuple[str, str, str]:
    title = f"服务申请待{rule.what}" if kind == "reminded" else f"服务申请{rule.what}已超期"
    body = (
        f"{service_request.enterprise.name}的“{service_request.title}”（{service_request.number}）"
        f"应于{due_text(getattr(service_request, rule.field))}前{rule.what}。"
    )
    return title, body, reverse("workspace:request", args=[service_request.pk])


def deadlines_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind the commissioner within one working day of a deadline, and once it is overdue."""
    return shared_sweep(
        process=PROCESS,
        queryset=ServiceRequest.objects.select_related("enterprise", "commissioner"),
        recipients=_recipients,
        message=_message,
        now=now,
    )


def assignments_fill_gaps() -> dict[str, int]:
    """Assign a commissioner and a steward, by the rules, to every enterprise without one."""
    from qifu.workspace.services.assignments import assignments_auto_fill

    totals = {"assigned": 0, "unmatched": 0}
    for role in AssignmentRole.values:
        counts = assignments_auto_fill(role=role)
        for key in totals:
            totals[key] += counts[key]
    return totals
