"""Reads of 我要咨询, scoped to the user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qifu.assistant.models import (
    AskLog,
    Consultation,
    ConsultationStatus,
    Faq,
    FaqAction,
    ProposalStatus,
    SimilarQuestionProposal,
)
from qifu.policies.selectors import PolicyMatch, policy_matches


def consultation_list(*, user: Any, status: str = "") -> QuerySet[Consultation]:
    """The conversations a user may see, most recent first."""
    qs = Consultation.objects.for_user(user).select_related("enterprise", "user")
    if status in ConsultationStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-last_message_at")


def consultation_counts(*, user: Any) -> dict[str, int]:
    """How many conversations are in each status (the staff queue's tabs)."""
    rows = Consultation.objects.for_user(user).values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(ConsultationStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def faq_stats() -> QuerySet[Faq]:
    """Every entry with how often it answered and how often it was the near miss of a hand-off."""
    return Faq.objects.annotate(
        answered_n=Count("ask_logs", filter=Q(ask_logs__is_answered=True)),
        handoff_n=Count("ask_logs", filter=Q(ask_logs__is_answered=False)),
    ).order_by("status", "category", "question")


# --- The conversation page --------------------------------------------------------------------

HOT_DAYS = 90
POLICIES_SHOWN = 5


@dataclass(frozen=True)
class Exchange:
    """One question of the conversation as the page shows it."""

    log: AskLog
    # The entry that answers (the match above the threshold, or the one chosen when asked back).
    faq: Faq | None
    suggestions: list[Faq]
    policies: list[PolicyMatch]
    enterprise_named: bool

    @property
    def sources(self) -> list[dict[str, Any]]:
        return list(self.log.sources or [])


def _answer_policies(faq: Faq | None, user: Any) -> list[PolicyMatch]:
    """For an entry about the asker's own policies: the enterprise's matches, with reasons."""
    if faq is None or faq.action != FaqAction.MATCHED_POLICIES:
        return []
    enterprise = getattr(user, "enterprise", None) if user.is_authenticated else None
    if enterprise is None:
        return []
    return policy_matches(enterprise=enterprise)[:POLICIES_SHOWN]


def conversation(*, log_ids: list[int], user: Any) -> list[Exchange]:
    """The exchanges of this browser's conversation, oldest first, in three queries."""
    logs = list(
        AskLog.objects.filter(pk__in=log_ids)
        .select_related("faq", "chosen_faq", "consultation")
        .order_by("pk")
    )
    wanted = {pk for log in logs for pk in (log.suggested_ids or [])}
    offered = Faq.objects.live().in_bulk(wanted) if wanted else {}
    exchanges = []
    for log in logs:
        faq = log.chosen_faq or (log.faq if log.is_answered else None)
        exchanges.append(
            Exchange(
                log=log,
                faq=faq,
                suggestions=[offered[pk] for pk in log.suggested_ids or [] if pk in offered],
                policies=_answer_policies(faq, user),
                enterprise_named=bool(getattr(user, "enterprise_id", None)),
            )
        )
    return exchanges


def hot_questions(*, limit: int = 8) -> list[Faq]:
    """热门问题: the entries that answered most in the last 90 days, then the most helpful."""
    since = timezone.now() - timedelta(days=HOT_DAYS)
    return list(
        Faq.objects.live()
        .annotate(
            asked=Count(
                "ask_logs", filter=Q(ask_logs__is_answered=True, ask_logs__asked_at__gte=since)
            )
        )
        .order_by("-asked", "-helpful_count", "pk")
        .only("pk", "question", "category")[:limit]
    )


def faq_categories(*, per_category: int = 6) -> list[tuple[str, list[str]]]:
    """The categories of the live base, each with its first questions (most helpful first)."""
    rows = (
        Faq.objects.live()
        .exclude(category="")
        .order_by("category", "-helpful_count", "pk")
        .values_list("category", "question")[:3000]
    )
    grouped: dict[str, list[str]] = {}
    for category, question in rows:
        items = grouped.setdefault(category, [])
        if len(items) < per_category:
            items.append(question)
    return list(grouped.items())


def proposals_pending() -> QuerySet[SimilarQuestionProposal]:
    """Users' wordings chosen under "您是不是想问", waiting for a curator."""
    return SimilarQuestionProposal.objects.filter(status=ProposalStatus.PENDING).select_related(
        "faq"
    )
