"""The workbench panel of 工作动态: reviews waiting for me, my returned drafts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.accounts.models import Section
from qifu.content.models import Notice
from qifu.portal.workbench import Counter, Panel, register
from qifu.publishing.models import PublicationStatus


@register
def notice_panels(user: Any) -> list[Panel]:
    if not user.is_authenticated or not (user.is_superuser or user.is_government):
        return []
    is_reviewer = any(user.administers_section(s) for s in Section.values)
    counters = []
    if is_reviewer:
        counters.append(
            Counter(
                "待审核",
                Notice.objects.reviewable_by(user).count(),
                reverse("content:review"),
                tone="warning",
            )
        )
    if user.department_id is not None:
        returned = Notice.objects.filter(created_by=user, status=PublicationStatus.RETURNED)
        counters.append(
            Counter(
                "退回待修改",
                returned.count(),
                reverse("content:manage") + f"?status={PublicationStatus.RETURNED}",
                tone="danger",
            )
        )
    if not counters:
        return []
    links = [("管理工作动态", reverse("content:manage"))]
    if user.department_id is not None:
        links.append(("撰写工作动态", reverse("content:new")))
    return [
        Panel(
            title="工作动态发布",
            counters=tuple(counters),
            links=tuple(links),
            note="先审核、后发布，谁提供、谁负责。",
            order=40,
        )
    ]
