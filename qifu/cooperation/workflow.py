"""A university–enterprise co-operation as a process of the one workflow mechanism.

    (new) ─propose→ 待确认对接 ─accept (the other side)→ 洽谈中 ─agree→ 已签约 ─outcome→ 已见成效
                    └decline→ 已婉拒        洽谈中, 已签约 ─progress (stays) / terminate→ 已终止

Whoever proposes (the enterprise from a suggested resource, the university from a suggested
need, or the platform introducing both), the other side answers within
COOPERATION_RESPOND_WORKING_DAYS working days (the shared sweep reminds and reports overdue).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from qifu.cooperation import access
from qifu.cooperation.models import Cooperation, CooperationEvent, CooperationStatus, Side
from qifu.core.workflow import Deadline, Process, action, nobody, permission

S = CooperationStatus


@permission("合作双方或平台", "只有合作双方或平台工作人员可以执行此操作。")
def can_take_part(user: Any, cooperation: Any) -> bool:
    return access.is_party(user, cooperation) or access.is_cooperation_staff(user)


@permission("被邀请的一方", "只能由被邀请对接的一方答复。")
def can_answer(user: Any, cooperation: Any) -> bool:
    if cooperation.proposed_by == Side.ENTERPRISE:
        return access.is_party_provider(user, cooperation)
    if cooperation.proposed_by == Side.PROVIDER:
        return access.is_party_enterprise(user, cooperation)
    return access.is_party(user, cooperation)


@permission("合作双方", "只有合作双方可以执行此操作。")
def is_party(user: Any, cooperation: Any) -> bool:
    return access.is_party(user, cooperation)


PROCESS = Process(
    name="cooperation",
    label="校企合作",
    model=Cooperation,
    states=CooperationStatus,
    history=CooperationEvent,
    subject="cooperation",
    lock_related=("enterprise", "provider"),
    audit_prefix="cooperation",
    url=lambda c: reverse("cooperation:record", args=[c.pk]),
    actions=[
        action("propose", "发起对接", sources=[], to=S.PROPOSED, allowed=can_take_part),
        action("accept", "同意对接", sources=[S.PROPOSED], to=S.NEGOTIATING, allowed=can_answer),
        action("decline", "婉拒对接", sources=[S.PROPOSED], to=S.DECLINED, allowed=can_answer),
        action(
            "progress",
            "记录进展",
            sources=[S.NEGOTIATING, S.AGREED],
            allowed=can_take_part,
        ),
        action(
            "agree", "签订合作协议", sources=[S.NEGOTIATING], to=S.AGREED, allowed=can_take_part
        ),
        action(
            "outcome", "记录合作成效", sources=[S.AGREED], to=S.COMPLETED, allowed=can_take_part
        ),
        action(
            "terminate",
            "终止合作",
            sources=[S.NEGOTIATING, S.AGREED],
            to=S.TERMINATED,
            allowed=can_take_part,
        ),
        action("overdue", "超期", sources=[S.PROPOSED], allowed=nobody),
        action("deadline_changed", "期限调整", sources=[S.PROPOSED], allowed=nobody),
    ],
    deadlines=[
        Deadline(
            states=frozenset({S.PROPOSED}),
            field="respond_due_at",
            working_days=lambda c: settings.COOPERATION_RESPOND_WORKING_DAYS,
            what="答复对接",
            rule="COOPERATION_RESPOND_WORKING_DAYS个工作日内（默认5）",
            start_field="proposed_at",
            days_field="respond_working_days",
        ),
    ],
)
