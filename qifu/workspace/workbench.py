"""Workbench panels of the commissioner's work: to accept, overdue, enterprises served; and, for
the agency running the space, the enterprises still without a commissioner or steward."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qifu.portal.workbench import Counter, Panel, register
from qifu.workspace.models import Assignment, AssignmentRole, RequestStatus, ServiceRequest
from qifu.workspace.selectors.assignments import enterprises_without
from qifu.workspace.selectors.requests import is_space_admin, overdue_q


def _commissioner_panel(user: Any) -> Panel:
    counts = ServiceRequest.objects.filter(commissioner=user).aggregate(
        to_accept=Count("id", filter=Q(status=RequestStatus.SUBMITTED)),
        handling=Count("id", filter=Q(status=RequestStatus.ACCEPTED)),
        overdue=Count("id", filter=overdue_q(timezone.now())),
    )
    served = (
        Assignment.objects.current()
        .filter(user=user, role=AssignmentRole.COMMISSIONER)
        .values("enterprise")
        .distinct()
        .count()
    )
    inbox = reverse("workspace:requests_inbox")
    return Panel(
        title="专员服务",
        counters=(
            Counter("待受理", counts["to_accept"], f"{inbox}?status={RequestStatus.SUBMITTED}"),
            Counter("办理中", counts["handling"], f"{inbox}?status={RequestStatus.ACCEPTED}"),
            Counter("已超期", counts["overdue"], f"{inbox}?status=open", tone="danger"),
            Counter("服务企业", served, reverse("workspace:served")),
        ),
        links=(
            ("服务申请", inbox),
            ("我服务的企业", reverse("workspace:served")),
            ("企业年报", reverse("workspace:annual_reports")),
        ),
        order=15,
        extra={"kind": "commissioner"},
    )


def _coverage_panel() -> Panel:
    url = reverse("workspace:coverage")
    return Panel(
        title="服务覆盖",
        counters=(
            Counter(
                "无服务专员企业",
                enterprises_without(AssignmentRole.COMMISSIONER).count(),
                f"{url}?role={AssignmentRole.COMMISSIONER}",
                tone="warning",
            ),
            Counter(
                "无项目管家企业",
                enterprises_without(AssignmentRole.STEWARD).count(),
                f"{url}?role={AssignmentRole.STEWARD}",
                tone="warning",
            ),
        ),
        links=(
            ("服务覆盖与分配", url),
            ("企业年报", reverse("workspace:annual_reports")),
            ("导入电子证照", reverse("workspace:licence_import")),
        ),
        order=40,
        extra={"kind": "coverage"},
    )


@register
def commissioner_panels(user: Any) -> list[Panel]:
    """A commissioner's requests and the space agency's coverage gaps (stewards: qifu/projects)."""
    if not getattr(user, "is_authenticated", False) or user.enterprise_id:
        return []
    panels: list[Panel] = []
    if user.department_id and user.has_role("commissioner"):
        panels.append(_commissioner_panel(user))
    if is_space_admin(user):
        panels.append(_coverage_panel())
    return panels
