"""Reads of 我要咨询, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from qifu.assistant.models import Consultation, ConsultationStatus, Faq, FaqStatus


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


def faq_search_public(*, words: list[str], limit: int = 5) -> QuerySet[Faq]:
    """Online knowledge-base entries whose question or answer holds every word (site search)."""
    qs = Faq.objects.filter(status=FaqStatus.APPROVED, is_active=True)
    for word in words:
        qs = qs.filter(Q(question__icontains=word) | Q(answer__icontains=word))
    return qs.order_by("-helpful_count", "question")[:limit]
