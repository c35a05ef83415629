"""The workbench panel of 政策服务: policies awaiting review, and the department's own."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.policies import selectors
from qifu.policies.models import Policy
from qifu.portal.workbench import Counter, Panel, register
from qifu.publishing.models import PublicationStatus
from qifu.publishing.views import is_reviewer


@register
def policies_panel(user: Any) -> list[Panel]:
    """政策审核 for the sections' reviewers; 政策管理 for every department that writes policies."""
    if not (user.is_superuser or (user.is_government and user.department_id)):
        return []
    manage = reverse("policies:manage")
    counters = []
    if is_reviewer(user):
        waiting = selectors.policy_review_queue(user=user).count()
        counters.append(
            Counter(
                "政策审核",
                waiting,
                reverse("policies:review"),
                tone="warning" if waiting else "primary",
            )
        )
    if user.department_id:
        returned = Policy.objects.filter(
            provider_department_id=user.department_id, status=PublicationStatus.RETURNED
        ).count()
        counters.append(
            Counter(
                "被退回待修改",
                returned,
                f"{manage}?status={PublicationStatus.RETURNED}",
                tone="danger" if returned else "primary",
            )
        )
    return [
        Panel(
            title="政策服务",
            counters=tuple(counters),
            links=(("政策管理", manage), ("发布政策", reverse("policies:new"))),
            order=45,
        )
    ]
