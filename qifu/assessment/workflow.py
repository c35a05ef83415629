"""The scoring method and the 通报 as processes: written by the assessment administrator,
reviewed by a second person (another assessment administrator, a supervisor or the superuser;
never the author), then in force / published.

| action | from | to | who |
|---|---|---|---|
| 起草 | （新建） | 草稿 | 考核管理员 |
| 修改 | 草稿、退回修改 | （不变） | 考核管理员 |
| 提交审核 | 草稿、退回修改 | 待审核 | 考核管理员 |
| 审核通过（生效 / 发布） | 待审核 | 已生效 / 已发布 | 审核人（非起草人） |
| 退回修改 | 待审核 | 退回修改 | 审核人（非起草人） |
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.accounts.access import is_signed_in
from qifu.accounts.models import Role
from qifu.assessment.models import (
    MethodEvent,
    MethodStatus,
    MethodVersion,
    PeriodReport,
    ReportEvent,
    ReportStatus,
)
from qifu.core.workflow import Process, action, permission


def _assessor(user: Any) -> bool:
    return is_signed_in(user) and bool(user.is_superuser or user.has_role(Role.ASSESSOR))


@permission("考核管理员", "只有考核管理员可以起草和修改。")
def can_draft(user: Any, obj: Any) -> bool:
    return _assessor(user)


@permission("审核人（非起草人）", "须由起草人以外的考核管理员或督查领导审核。")
def can_review(user: Any, obj: Any) -> bool:
    if not is_signed_in(user) or user.pk == obj.created_by_id:
        return False
    return bool(user.is_superuser or user.has_role(Role.ASSESSOR, Role.SUPERVISOR))


M = MethodStatus
METHOD_PROCESS = Process(
    name="assessment_method",
    label="考核办法",
    model=MethodVersion,
    states=MethodStatus,
    history=MethodEvent,
    subject="method",
    url=lambda m: reverse("assessment:method_detail", args=[m.version]),
    number=lambda m: m.number,
    actions=[
        action("draft", "起草", sources=[], allowed=can_draft),
        action("edit", "修改", sources=[M.DRAFT, M.RETURNED], allowed=can_draft),
        action(
            "submit", "提交审核", sources=[M.DRAFT, M.RETURNED], to=M.SUBMITTED, allowed=can_draft
        ),
        action(
            "approve", "审核通过并生效", sources=[M.SUBMITTED], to=M.APPROVED, allowed=can_review
        ),
        action("return", "退回修改", sources=[M.SUBMITTED], to=M.RETURNED, allowed=can_review),
    ],
)

R = ReportStatus
REPORT_PROCESS = Process(
    name="assessment_report",
    label="考核通报",
    model=PeriodReport,
    states=ReportStatus,
    history=ReportEvent,
    subject="report",
    url=lambda r: reverse("assessment:report_detail", args=[r.pk]),
    number=lambda r: r.number,
    actions=[
        action("generate", "生成通报", sources=[], allowed=can_draft),
        action("edit", "修改", sources=[R.DRAFT, R.RETURNED], allowed=can_draft),
        action(
            "submit", "提交审核", sources=[R.DRAFT, R.RETURNED], to=R.SUBMITTED, allowed=can_draft
        ),
        action(
            "publish", "审核通过并发布", sources=[R.SUBMITTED], to=R.PUBLISHED, allowed=can_review
        ),
        action("return", "退回修改", sources=[R.SUBMITTED], to=R.RETURNED, allowed=can_review),
    ],
)
