"""A provider's admission as a process (measures art. 12: 先审核、后发布; anchors A14: 中介超市
providers are admitted after review).

register → submitted ─approve→ approved ─suspend→ suspended ─reinstate→ approved
                    └─reject→ rejected ─resubmit→ submitted
Members are added and removed by the provider's administrator (history rows, no state change).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from qifu.core.workflow import Process, action, permission
from qifu.providers.access import can_review_providers, is_provider_admin
from qifu.providers.models import Provider, ProviderEvent, ProviderStatus

S = ProviderStatus


@permission("申请入驻的机构", "只有申请入驻的机构可以执行此操作。")
def may_apply(user: Any, provider: Provider) -> bool:
    return is_provider_admin(user, provider.pk)


@permission("平台工作人员或工信局", "只有平台工作人员或政策诉求版块的管理机构可以审核服务机构。")
def may_review(user: Any, provider: Provider) -> bool:
    return can_review_providers(user)


PROCESS = Process(
    name="providers",
    label="服务机构入驻",
    model=Provider,
    states=ProviderStatus,
    history=ProviderEvent,
    subject="provider",
    audit_prefix="providers",
    url=lambda p: reverse("providers:review_detail", args=[p.pk]),
    number=lambda p: p.credit_code,
    actions=[
        action("register", "申请入驻", sources=[], allowed=may_apply),
        action("approve", "审核通过", sources=[S.SUBMITTED], to=S.APPROVED, allowed=may_review),
        action("reject", "审核不通过", sources=[S.SUBMITTED], to=S.REJECTED, allowed=may_review),
        action("resubmit", "重新申请", sources=[S.REJECTED], to=S.SUBMITTED, allowed=may_apply),
        action("suspend", "暂停", sources=[S.APPROVED], to=S.SUSPENDED, allowed=may_review),
        action("reinstate", "恢复", sources=[S.SUSPENDED], to=S.APPROVED, allowed=may_review),
        action(
            "member_add",
            "添加成员",
            sources=[S.SUBMITTED, S.APPROVED],
            allowed=may_apply,
            public=False,
        ),
        action(
            "member_remove",
            "移除成员",
            sources=list(S.values),
            allowed=may_apply,
            public=False,
        ),
    ],
)
