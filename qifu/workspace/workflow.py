"""Service requests to the commissioner (专员服务, measures art. 8) as a process.

submitted ─accept→ accepted ─complete→ completed; accepted ─ask_info→ waiting ─supply_info→
accepted; the enterprise may withdraw an open request; the space agency may reassign one.
Deadlines (working days): accept within SERVICE_REQUEST_ACCEPT_WORKING_DAYS of submission,
complete within the kind's SERVICE_REQUEST_WORKING_DAYS of acceptance; the clock stops while the
request waits for the enterprise and resumes with the days that were left.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from qifu.accounts.access import administers_section, is_enterprise_member, is_signed_in
from qifu.core.workflow import Deadline, Process, action, nobody, permission
from qifu.workspace.models import (
    OPEN_REQUEST_STATUSES,
    RequestStatus,
    ServiceRequest,
    ServiceRequestEvent,
)

S = RequestStatus
OPEN = list(OPEN_REQUEST_STATUSES)


def completion_working_days(kind: str) -> int:
    """The kind's completion limit in working days (settings.SERVICE_REQUEST_WORKING_DAYS)."""
    limits: dict[str, int] = settings.SERVICE_REQUEST_WORKING_DAYS
    return int(limits.get(kind, 5))


def is_space_admin(user: Any) -> bool:
    """Staff of the agency that runs the exclusive space (article 5), or the superuser."""
    return administers_section(user, "space")


@permission("负责该申请的服务专员", "只有负责该申请的服务专员可以执行此操作。")
def can_handle(user: Any, service_request: ServiceRequest) -> bool:
    return bool(
        is_signed_in(user)
        and service_request.commissioner_id
        and service_request.commissioner_id == user.pk
    )


@permission("提出申请的企业", "只有提出申请的企业可以执行此操作。")
def can_apply(user: Any, service_request: ServiceRequest) -> bool:
    return is_enterprise_member(user, service_request.enterprise_id)


@permission("专属空间管理机构", "只有专属空间的管理机构可以转交服务申请。")
def can_assign(user: Any, service_request: ServiceRequest) -> bool:
    return is_space_admin(user)


PROCESS = Process(
    name="service_requests",
    label="服务申请",
    model=ServiceRequest,
    states=RequestStatus,
    history=ServiceRequestEvent,
    subject="request",
    lock_related=("enterprise", "commissioner"),
    audit_prefix="workspace.request",
    url=lambda r: reverse("workspace:request", args=[r.pk]),
    actions=[
        action("submit", "提交申请", sources=[], allowed=can_apply),
        action("accept", "受理", sources=[S.SUBMITTED], to=S.ACCEPTED, allowed=can_handle),
        action("ask_info", "请企业补充", sources=[S.ACCEPTED], to=S.WAITING, allowed=can_handle),
        action("supply_info", "企业补充", sources=[S.WAITING], to=S.ACCEPTED, allowed=can_apply),
        action("complete", "办结", sources=[S.ACCEPTED], to=S.COMPLETED, allowed=can_handle),
        action("withdraw", "撤回", sources=OPEN, to=S.WITHDRAWN, allowed=can_apply),
        action("reassign", "转交专员", sources=OPEN, allowed=can_assign),
        action("deadline_changed", "期限调整", sources=OPEN, allowed=nobody),
    ],
    deadlines=[
        Deadline(
            states=frozenset({S.SUBMITTED}),
            field="accept_due_at",
            working_days=lambda r: settings.SERVICE_REQUEST_ACCEPT_WORKING_DAYS,
            rule="SERVICE_REQUEST_ACCEPT_WORKING_DAYS个工作日内（默认1）",
            what="受理",
            start_field="submitted_at",
            days_field="accept_working_days",
        ),
        # While the request waits for the enterprise the clock stands still: the deadline is
        # kept (and follows the calendar) but nobody is reminded of it.
        Deadline(
            states=frozenset({S.ACCEPTED, S.WAITING}),
            field="due_at",
            working_days=lambda r: completion_working_days(r.kind),
            rule="各类服务的办理时限（SERVICE_REQUEST_*，工作日）内",
            what="办结",
            start_field="due_from",
            days_field="due_working_days",
            quiet=frozenset({S.WAITING}),
        ),
    ],
)
