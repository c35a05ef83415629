"""项目申报 applications as a process: the enterprise applies, the call's department reviews,
approved results are publicised, anyone signed in may object during the publicity.

draft ─submit→ submitted ─accept→ accepted ─approve→ approved ─publish→ publicized ─finalise→ final
  returned ←return─ (submitted, accepted)        objection ←object─ publicized
  rejected ←reject─ (submitted, accepted)        objection ─dismiss→ publicized; ─uphold→ accepted
"""

from __future__ import annotations

from typing import Any

from qifu.accounts.access import is_enterprise_member, is_signed_in
from qifu.core.workflow import Deadline, Process, action, nobody, permission
from qifu.declarations.models import Application, ApplicationEvent, ApplicationStatus

S = ApplicationStatus


def is_call_department(user: Any, call: Any) -> bool:
    """Reviewers are the staff of the department that provides the call, never an enterprise."""
    if not is_signed_in(user) or user.enterprise_id:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_government and user.department_id == call.provider_department_id)


@permission("发布申报通知的部门", "只有发布该申报通知的部门可以审核。")
def can_review(user: Any, application: Application) -> bool:
    return is_call_department(user, application.call)


@permission("申报企业", "只有申报企业可以执行此操作。")
def can_apply(user: Any, application: Application) -> bool:
    return is_enterprise_member(user, application.enterprise_id)


@permission("登录用户（公众）", "请先登录。")
def can_object(user: Any, application: Application) -> bool:
    return is_signed_in(user)


def _review_days(application: Application) -> int:
    return int(application.call.review_working_days)


PROCESS = Process(
    name="declarations",
    label="项目申报",
    model=Application,
    states=ApplicationStatus,
    history=ApplicationEvent,
    subject="application",
    lock_related=("call", "enterprise"),
    audit_prefix="declarations",
    url=lambda a: a.get_absolute_url(),
    number=lambda a: a.project_name,
    actions=[
        action("draft", "保存草稿", sources=[], allowed=can_apply),
        action("edit", "修改申报", sources=[S.DRAFT, S.RETURNED], allowed=can_apply, history=False),
        action(
            "submit", "提交申报", sources=[S.DRAFT, S.RETURNED], to=S.SUBMITTED, allowed=can_apply
        ),
        action("accept", "受理", sources=[S.SUBMITTED], to=S.ACCEPTED, allowed=can_review),
        action(
            "return",
            "退回补正",
            sources=[S.SUBMITTED, S.ACCEPTED],
            to=S.RETURNED,
            allowed=can_review,
        ),
        action(
            "reject",
            "不予通过",
            sources=[S.SUBMITTED, S.ACCEPTED],
            to=S.REJECTED,
            allowed=can_review,
        ),
        action("approve", "审核通过", sources=[S.ACCEPTED], to=S.APPROVED, allowed=can_review),
        action("publish", "结果公示", sources=[S.APPROVED], to=S.PUBLICIZED, allowed=can_review),
        action("object", "提出异议", sources=[S.PUBLICIZED], to=S.OBJECTION, allowed=can_object),
        action(
            "uphold", "异议成立，重新审核", sources=[S.OBJECTION], to=S.ACCEPTED, allowed=can_review
        ),
        action(
            "dismiss",
            "异议不成立，继续公示",
            sources=[S.OBJECTION],
            to=S.PUBLICIZED,
            allowed=can_review,
        ),
        action("finalise", "公示结束", sources=[S.PUBLICIZED], to=S.FINAL, allowed=nobody),
        action(
            "deadline_changed",
            "期限调整",
            sources=[S.SUBMITTED, S.ACCEPTED, S.PUBLICIZED, S.OBJECTION],
            allowed=nobody,
        ),
    ],
    deadlines=[
        Deadline(
            states=frozenset({S.SUBMITTED}),
            field="accept_due_at",
            working_days=_review_days,
            rule="申报通知规定的审核工作日内",
            what="受理",
            start_field="submitted_at",
            days_field="review_working_days",
        ),
        Deadline(
            states=frozenset({S.ACCEPTED}),
            field="decide_due_at",
            working_days=_review_days,
            rule="申报通知规定的审核工作日内",
            what="审核",
            start_field="decide_due_from",
            days_field="review_working_days",
        ),
        # The publicity runs on through an objection; nobody is reminded of its end.
        Deadline(
            states=frozenset({S.PUBLICIZED, S.OBJECTION}),
            field="publicity_ends_at",
            working_days=lambda a: int(a.call.publicity_days),
            rule="申报通知规定的公示工作日",
            what="公示",
            start_field="publicity_starts_at",
            days_field="publicity_working_days",
            remind=False,
        ),
    ],
)
