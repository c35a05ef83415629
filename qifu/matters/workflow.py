"""我要办事 online applications (办件) as a process: who may do what, from where, to where.

The promised limit (承诺时限) runs from submission through acceptance to the decision; time spent
waiting for 补正 does not count (行政许可法 §32): a resubmission starts the clock again.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.accounts.access import is_enterprise_member, is_signed_in
from qifu.core.workflow import Deadline, Process, action, nobody, permission
from qifu.matters.models import MatterApplication, MatterEvent, Status

S = Status


@permission("事项实施部门", "只有事项的实施部门可以执行此操作。")
def can_handle(user: Any, application: MatterApplication) -> bool:
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return bool(user.is_government and user.department_id == application.matter.department_id)


@permission("申请企业", "只有申请企业可以执行此操作。")
def can_apply(user: Any, application: MatterApplication) -> bool:
    return is_enterprise_member(user, application.enterprise_id)


PROCESS = Process(
    name="matters",
    label="办件",
    model=MatterApplication,
    states=Status,
    history=MatterEvent,
    subject="application",
    lock_related=("matter", "matter__department", "enterprise"),
    audit_prefix="matters.application",
    url=lambda a: reverse("matters:application", args=[a.pk]),
    actions=[
        action("create", "填写申请", sources=[S.DRAFT], allowed=can_apply),
        action(
            "attach",
            "上传材料",
            sources=[S.DRAFT, S.SUPPLEMENT],
            allowed=can_apply,
            history=False,
        ),
        action("submit", "提交申请", sources=[S.DRAFT], to=S.SUBMITTED, allowed=can_apply),
        action(
            "resubmit", "补正后重新提交", sources=[S.SUPPLEMENT], to=S.SUBMITTED, allowed=can_apply
        ),
        action("accept", "受理", sources=[S.SUBMITTED], to=S.ACCEPTED, allowed=can_handle),
        action(
            "supplement",
            "一次性告知补正",
            sources=[S.SUBMITTED, S.ACCEPTED],
            to=S.SUPPLEMENT,
            allowed=can_handle,
        ),
        action("approve", "办结（准予）", sources=[S.ACCEPTED], to=S.APPROVED, allowed=can_handle),
        action(
            "refuse",
            "不予许可",
            sources=[S.SUBMITTED, S.ACCEPTED],
            to=S.REFUSED,
            allowed=can_handle,
        ),
        action("deadline_changed", "期限调整", sources=[S.SUBMITTED, S.ACCEPTED], allowed=nobody),
    ],
    entries={"licence": "核发电子证照"},
    deadlines=[
        Deadline(
            states=frozenset({S.SUBMITTED, S.ACCEPTED}),
            field="due_at",
            working_days=lambda a: a.matter.promised_limit_days,
            rule="事项承诺时限（工作日）内",
            what={S.SUBMITTED: "受理", S.ACCEPTED: "办结"},
            start_field="submitted_at",
            days_field="due_working_days",
        )
    ],
)
