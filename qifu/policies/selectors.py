"""Reads of the policy library: public lists, staff lists and the matches of an enterprise."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from qifu.accounts.access import get_for_user_or_404
from qifu.accounts.models import Department
from qifu.policies.matching import MatchResult, evaluate
from qifu.policies.models import Policy
from qifu.publishing.models import PublicationStatus

S = PublicationStatus

# What matching needs of a policy; the matcher loads only these (it runs for every enterprise).
MATCH_FIELDS = (
    "id",
    "code",
    "title",
    "summary",
    "benefit",
    "industries",
    "criteria",
    "tags",
    "expires_on",
    "published_on",
    "is_auto_grant",
    "issuer__name",
    "issuer__short_name",
)


def _in_force(today: date) -> Q:
    return Q(status=S.PUBLISHED) & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))


def _expired(today: date) -> Q:
    return Q(status=S.EXPIRED) | (Q(status=S.PUBLISHED) & Q(expires_on__lt=today))


def industry_prefixes(code: str) -> list[str]:
    """C1361 → C, C13, C136, C1361: every policy code that covers it."""
    code = code.strip().upper()
    if not code:
        return []
    return [code[0], *(code[:n] for n in range(3, len(code) + 1))]


def policy_public_list(
    *,
    issuer: str = "",
    industry: str = "",
    tag: str = "",
    in_force: bool | None = None,
    published_from: date | None = None,
    published_to: date | None = None,
    today: date | None = None,
) -> QuerySet[Policy]:
    """Public policies, newest first: in force (None/True) or expired ones (False, 已失效).

    The same reading of `in_force` as `qifu.policies.search.policy_search`.
    """
    today = today or timezone.localdate()
    qs = Policy.objects.filter(_expired(today) if in_force is False else _in_force(today))
    if issuer:
        qs = qs.filter(
            Q(issuer__code=issuer) | Q(issuer__name=issuer) | Q(issuer__short_name=issuer)
        )
    if industry:
        covers = Q(_industries_text="[]")
        for prefix in industry_prefixes(industry):
            covers |= json_list_contains("industries", prefix)
        qs = qs.annotate(_industries_text=Cast("industries", TextField())).filter(covers)
    if tag:
        qs = qs.annotate(_tags_text=Cast("tags", TextField())).filter(
            json_list_contains("tags", tag.strip())
        )
    if published_from:
        qs = qs.filter(published_on__gte=published_from)
    if published_to:
        qs = qs.filter(published_on__lte=published_to)
    return qs.select_related("issuer").order_by("-published_on", "-id")


def json_list_contains(field: str, value: str) -> Q:
    """`value` is an element of the JSON list `field`, annotated as `_<field>_text`."""
    # SQLite stores JSON with json.dumps' ASCII escapes, PostgreSQL's jsonb prints characters.
    encoded = json.dumps(value, ensure_ascii=connection.vendor != "postgresql")
    return Q(**{f"_{field}_text__contains": encoded})


NEW_NOTICE_DAYS = 30


def policy_new_notices(*, today: date | None = None) -> QuerySet[Policy]:
    """新政通知: policies in force issued within the last NEW_NOTICE_DAYS days, newest first."""
    today = today or timezone.localdate()
    return policy_public_list(published_from=today - timedelta(days=NEW_NOTICE_DAYS), today=today)


def policy_get_public(*, code: str) -> Policy:
    """One public policy (in force or expired) by its code, or 404."""
    today = timezone.localdate()
    policy = (
        Policy.objects.filter(_in_force(today) | _expired(today), code=code)
        .select_related("issuer", "reviewed_by")
        .first()
    )
    if policy is None:
        raise Http404("未找到该政策，或已下线。")
    return policy


def department_by_code_or_name(value: str) -> Department | None:
    """The issuer named in a filter: its code, full name or short name."""
    value = value.strip()
    if not value:
        return None
    return (
        Department.objects.filter(Q(code=value) | Q(name=value) | Q(short_name=value))
        .order_by("pk")
        .first()
    )


def policy_issuers() -> QuerySet[Department]:
    """Departments that have issued at least one public policy, for the filter."""
    return (
        Department.objects.filter(policies__status__in=[S.PUBLISHED, S.EXPIRED])
        .distinct()
        .order_by("sort_order", "name")
    )


def policy_tags(*, limit: int = 40, sample: int = 2000) -> list[str]:
    """Tags of recent policies in force, most used first (one bounded query)."""
    counts: dict[str, int] = {}
    today = timezone.localdate()
    # The latest policies are a fair sample and keep this bounded on a large library.
    recent = Policy.objects.filter(_in_force(today)).order_by("-published_on", "-id")
    for tags in recent.values_list("tags", flat=True)[:sample]:
        for tag in tags or []:
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))[:limit]


# --- Staff ------------------------------------------------------------------------------------


def policy_manage_list(*, user: Any, status: str = "", q: str = "") -> QuerySet[Policy]:
    """Policies of the user's department (all for a superuser), recently changed first."""
    qs = Policy.objects.managed_by(user).select_related("issuer", "created_by", "reviewed_by")
    if status in S.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q))
    return qs.order_by("-updated_at", "-id")


def policy_review_queue(*, user: Any) -> QuerySet[Policy]:
    """Submitted policies the user may review, oldest submission first."""
    return (
        Policy.objects.reviewable_by(user)
        .select_related("issuer", "created_by")
        .order_by("submitted_at", "id")
    )


def policy_get_for_user(*, user: Any, pk: int) -> Policy:
    """A policy the user manages or reviews; anything else is a 404."""
    return get_for_user_or_404(
        Policy.objects.select_related("issuer", "provider_department", "created_by", "reviewed_by"),
        user,
        pk=pk,
    )


# --- Matching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyMatch:
    policy: Policy
    result: MatchResult

    @property
    def score(self) -> int:
        return self.result.score

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return self.result.reasons


@dataclass(frozen=True)
class Matches:
    eligible: list[PolicyMatch]
    near_misses: list[PolicyMatch]


def matchable_policies(*, today: date | None = None) -> list[Policy]:
    """Policies in force, with only the fields matching reads, loaded once."""
    today = today or timezone.localdate()
    return list(
        Policy.objects.filter(_in_force(today))
        .select_related("issuer")
        .only(*MATCH_FIELDS)
        .order_by("-published_on", "-id")
    )


def match_policies(
    *, profile: Any, policies: list[Policy] | None = None, today: date | None = None
) -> Matches:
    """Evaluate a profile (an Enterprise or a calculator profile) against every policy in force."""
    today = today or timezone.localdate()
    if policies is None:
        policies = matchable_policies(today=today)
    eligible: list[PolicyMatch] = []
    near: list[PolicyMatch] = []
    for policy in policies:
        result = evaluate(policy, profile, today)
        if result.eligible:
            eligible.append(PolicyMatch(policy, result))
        elif result.is_near_miss:
            near.append(PolicyMatch(policy, result))
    # Policies arrive newest first and sort() is stable: ties keep published_on descending.
    eligible.sort(key=lambda m: -m.score)
    near.sort(key=lambda m: -m.score)
    return Matches(eligible, near)


def policy_matches(*, enterprise: Any, today: date | None = None) -> list[PolicyMatch]:
    """Policies the enterprise is eligible for today: highest score, then newest, first."""
    return match_policies(profile=enterprise, today=today).eligible


def policy_near_misses(*, enterprise: Any, today: date | None = None) -> list[PolicyMatch]:
    """Policies the enterprise misses by exactly one criterion (what it could work towards)."""
    return match_policies(profile=enterprise, today=today).near_misses


def policy_match_one(*, policy: Policy, enterprise: Any, today: date | None = None) -> MatchResult:
    """The match of one policy for one enterprise (the "我是否符合" box)."""
    return evaluate(policy, enterprise, today or timezone.localdate())
