"""企业诉求 as a process (measures, arts. 15–17): the six stages, who may do what, the deadlines.

录入 → 研判 → 派发 → 诉求应答 → 电话回访 → 办结. The platform (平台工作人员) takes in, judges,
dispatches, calls back and closes; the department an appeal was dispatched to (its administrator or
handler, art. 11) accepts, contacts the enterprise, responds, asks for more time or returns a
misrouted order; the enterprise rates the response online (which adds to the call, never replaces
it); supervisors and platform staff put a case under supervision (督办件).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from qifu.accounts.access import (
    is_department_handler,
    is_enterprise_member,
    is_platform_staff,
    is_signed_in,
)
from qifu.appeals.models import (
    AWAITING_DISPATCH,
    OPEN_STAGES,
    Appeal,
    AppealAction,
    AppealEvent,
    Stage,
)
from qifu.core.workflow import Deadline, Process, action, permission

S = Stage
A = AppealAction


@permission("平台工作人员", "只有平台工作人员可以执行此操作。")
def can_staff(user: Any, appeal: Appeal) -> bool:
    return is_platform_staff(user)


@permission("承办部门", "只有承办部门的管理员或经办人可以执行此操作。")
def can_handle(user: Any, appeal: Appeal) -> bool:
    if is_signed_in(user) and user.is_superuser:
        return True
    return appeal.department_id is not None and is_department_handler(user, appeal.department_id)


@permission("提出诉求的企业", "只有提出诉求的企业可以评价。")
def can_evaluate(user: Any, appeal: Appeal) -> bool:
    return is_enterprise_member(user, appeal.enterprise_id)


@permission("平台工作人员或督查领导", "只有平台工作人员或督查领导可以列入督办。")
def can_supervise(user: Any, appeal: Appeal) -> bool:
    return is_platform_staff(user) or (is_signed_in(user) and user.has_role("supervisor"))


@permission("督查领导、平台工作人员或系统", "只有督查领导或平台工作人员可以催办、列入通报。")
def can_escalate(user: Any, appeal: Appeal) -> bool:
    """The supervision ladder (qifu/supervision): by hand, or by the platform's own sweep."""
    return user is None or can_supervise(user, appeal)


@permission("平台工作人员或承办部门", "无权添加内部备注。")
def can_note(user: Any, appeal: Appeal) -> bool:
    return is_platform_staff(user) or can_handle(user, appeal)


@permission("企业或平台工作人员", "只有企业用户或平台工作人员可以提交诉求。")
def can_file(user: Any, appeal: Appeal) -> bool:
    return is_platform_staff(user) or is_enterprise_member(user, appeal.enterprise_id)


def _dispatch_start(appeal: Appeal, now: Any) -> Any:
    # An appeal recorded by staff counts from when it was received (a call this morning), not
    # from when it was typed in; a return or an unsatisfied rating starts the clock again.
    return appeal.received_at if appeal.stage == S.RECEIVED else now


OPEN = list(OPEN_STAGES)

PROCESS = Process(
    name="appeals",
    label="诉求",
    model=Appeal,
    states=Stage,
    state_field="stage",
    history=AppealEvent,
    subject="appeal",
    lock_related=("department", "enterprise", "category"),
    url=lambda a: reverse("appeals:detail", args=[a.pk]),
    history_fields=lambda step, entry: {
        "department": entry.extra.get("department", step.obj.department)
    },
    actions=[
        action(A.FILE, "提交诉求", sources=[], allowed=can_file),
        action(A.RECORD, "登记诉求", sources=[], allowed=can_staff),
        action(A.LINK, "确认诉求企业", sources=AWAITING_DISPATCH, allowed=can_staff),
        action(A.TRIAGE, "研判", sources=AWAITING_DISPATCH, to=S.TRIAGED, allowed=can_staff),
        action(A.DISPATCH, "派发", sources=AWAITING_DISPATCH, to=S.DISPATCHED, allowed=can_staff),
        action(A.ACCEPT, "签收", sources=[S.DISPATCHED], allowed=can_handle),
        action(A.CONTACT, "联系企业", sources=[S.DISPATCHED], allowed=can_handle),
        action(
            A.RETURN, "退回", sources=[S.DISPATCHED], to=S.TRIAGED, allowed=can_handle, public=False
        ),
        action(A.EXTEND, "申请延期", sources=[S.DISPATCHED], allowed=can_handle, public=False),
        action(A.EXTENSION_APPROVED, "同意延期", sources=[S.DISPATCHED], allowed=can_staff),
        action(
            A.EXTENSION_REFUSED,
            "不同意延期",
            sources=[S.DISPATCHED],
            allowed=can_staff,
            public=False,
        ),
        action(A.RESPOND, "诉求应答", sources=[S.DISPATCHED], to=S.RESPONDED, allowed=can_handle),
        action(
            A.EVALUATE,
            "企业评价",
            sources=[S.RESPONDED, S.FOLLOWED_UP],
            to=[None, S.TRIAGED],
            allowed=can_evaluate,
        ),
        action(
            A.FOLLOWUP,
            "电话回访",
            sources=[S.RESPONDED],
            to=[S.FOLLOWED_UP, S.TRIAGED],
            allowed=can_staff,
        ),
        action(A.CLOSE, "办结", sources=[S.FOLLOWED_UP], to=S.CLOSED, allowed=can_staff),
        action(A.SUPERVISE, "列入督办", sources=OPEN, allowed=can_supervise),
        action(A.URGE, "催办", sources=OPEN, allowed=can_escalate),
        action(A.ESCALATE, "列入通报", sources=OPEN, allowed=can_escalate, public=False),
        action(A.MERGED, "并入其他诉求", sources=AWAITING_DISPATCH, to=S.CLOSED, allowed=can_staff),
        action(A.MERGE, "合并重复诉求", sources=OPEN, allowed=can_staff),
        action(A.NOTE, "内部备注", sources=OPEN, allowed=can_note, public=False),
        action(A.OVERDUE, "超期", sources=OPEN, public=False),
        action(A.DEADLINE_CHANGED, "期限调整", sources=OPEN),
    ],
    deadlines=[
        Deadline(
            states=frozenset(AWAITING_DISPATCH),
            field="dispatch_due_at",
            working_days=0,
            what="派发",
            start=_dispatch_start,
            sweep_field="due_at",
            start_field="dispatch_due_from",
        ),
        Deadline(
            states=frozenset({S.DISPATCHED}),
            field="respond_due_at",
            working_days=lambda a: settings.APPEAL_RESPOND_WORKING_DAYS,
            rule="3个工作日内（第十六条；APPEAL_RESPOND_WORKING_DAYS）",
            what="应答",
            sweep_field="due_at",
            start_field="dispatched_at",
        ),
        Deadline(
            states=frozenset({S.RESPONDED}),
            field="followup_due_at",
            working_days=lambda a: settings.APPEAL_FOLLOWUP_WORKING_DAYS,
            rule="APPEAL_FOLLOWUP_WORKING_DAYS个工作日内",
            what="电话回访",
            sweep_field="due_at",
            start_field="responded_at",
        ),
    ],
)
