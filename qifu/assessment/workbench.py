"""The workbench panel of the assessment administrator (and of reviewers: what waits for them)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.accounts.models import Role
from qifu.assessment.models import MethodStatus, MethodVersion, PeriodReport, ReportStatus
from qifu.portal.workbench import Counter, Panel, register


@register
def assessment_panel(user: Any) -> list[Panel]:
    if not getattr(user, "is_authenticated", False):
        return []
    assessor = user.is_superuser or user.has_role(Role.ASSESSOR)
    reviewer = assessor or user.has_role(Role.SUPERVISOR)
    if not reviewer:
        return []
    methods_to_review = (
        MethodVersion.objects.filter(status=MethodStatus.SUBMITTED).exclude(created_by=user).count()
    )
    reports_to_review = (
        PeriodReport.objects.filter(status=ReportStatus.SUBMITTED).exclude(created_by=user).count()
    )
    counters = [
        Counter(
            "待审核考核办法",
            methods_to_review,
            reverse("assessment:methods"),
            tone="warning" if methods_to_review else "primary",
        ),
        Counter(
            "待审核通报",
            reports_to_review,
            reverse("assessment:report_manage"),
            tone="warning" if reports_to_review else "primary",
        ),
    ]
    if assessor:
        drafts = PeriodReport.objects.filter(
            status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
        ).count()
        counters.append(Counter("待完善通报", drafts, reverse("assessment:report_manage")))
    return [
        Panel(
            title="监督考核",
            counters=tuple(counters),
            links=(
                ("考核排名", reverse("assessment:ranking")),
                ("考核办法", reverse("assessment:methods")),
                ("考核通报", reverse("assessment:report_manage")),
                ("已发布通报", reverse("assessment:reports")),
            ),
            order=25,
            extra={"kind": "assessment"},
        )
    ]
