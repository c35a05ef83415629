"""Telling enterprises about a policy the moment it is published (新政推送).

Who hears: the users of every enterprise eligible for the policy today, and every user whose
subscription matches it (its issuer, an industry it covers, one of its tags, a keyword of its
text), each once; nobody who muted one of the policy's tags. Runs after the publication commits
(qifu.publishing.services.after_publish_hooks), so a failed push never undoes a publication.
"""

from __future__ import annotations

import logging
from datetime import date

from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Enterprise, User
from qifu.policies.matching import evaluate
from qifu.policies.models import Policy, PolicyMute, PolicySubscription, SubscriptionKind

logger = logging.getLogger(__name__)

ENTERPRISE_FIELDS = (
    "id",
    "industry",
    "scale",
    "qualifications",
    "region__name",
    "employees",
    "registered_capital",
    "revenue",
    "founded_on",
    "rd_ratio",
)


def eligible_enterprise_ids(*, policy: Policy, today: date) -> list[int]:
    """Active enterprises eligible for the policy today (evaluated in Python, loaded once)."""
    enterprises = (
        Enterprise.objects.filter(is_active=True).select_related("region").only(*ENTERPRISE_FIELDS)
    )
    return [
        e.pk for e in enterprises.iterator(chunk_size=2000) if evaluate(policy, e, today).eligible
    ]


def _subscribers(policy: Policy) -> set[int]:
    issuer = policy.issuer
    text = f"{policy.title}\n{policy.summary}\n{policy.body}"
    users: set[int] = set()
    rows = PolicySubscription.objects.values_list("user_id", "kind", "value").iterator()
    for user_id, kind, value in rows:
        if kind == SubscriptionKind.DEPARTMENT:
            hit = value in (issuer.code, issuer.name, issuer.short_name)
        elif kind == SubscriptionKind.INDUSTRY:
            hit = any(value.startswith(c) or c.startswith(value) for c in policy.industries)
        elif kind == SubscriptionKind.TAG:
            hit = value in (policy.tags or [])
        else:
            hit = value in text
        if hit:
            users.add(user_id)
    return users


def policy_push(*, policy_id: int, today: date | None = None) -> int:
    """Notify the eligible enterprises' users and the subscribers; returns how many were told."""
    from qifu.notifications.services import notify

    today = today or timezone.localdate()
    policy = Policy.objects.select_related("issuer").filter(pk=policy_id).first()
    if policy is None or not policy.is_public:
        return 0
    eligible = eligible_enterprise_ids(policy=policy, today=today)
    eligible_users = set(
        User.objects.filter(enterprise_id__in=eligible, is_active=True).values_list("pk", flat=True)
    )
    subscribers = _subscribers(policy) - eligible_users
    muted = set(
        PolicyMute.objects.filter(tag__in=policy.tags or []).values_list("user_id", flat=True)
    )
    url = reverse("policies:detail", args=[policy.code])
    told = 0
    for user_ids, reason in (
        (eligible_users - muted, "根据贵企业登记信息，贵企业符合该政策的申报条件。"),
        (subscribers - muted, "该政策与您的订阅相符。"),
    ):
        users = list(User.objects.filter(pk__in=user_ids, is_active=True))
        if not users:
            continue
        benefit = f"扶持内容：{policy.benefit}。" if policy.benefit else ""
        notify(
            users=users,
            code="generic",
            context={
                "title": f"新政策：{policy.title}",
                "body": f"{policy.issuer.name}发布了“{policy.title}”。{benefit}{reason}",
            },
            url=url,
            channels=("inbox", "sms"),
        )
        told += len(users)
    logger.info("policies.push %s told=%s", policy.code, told)
    return told
