"""Reads of appeals, scoped to the user, with their joins."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from qifu.accounts.access import get_for_user_or_404
from qifu.appeals.models import (
    Appeal,
    AppealAction,
    AppealCategory,
    AppealEvent,
    Evaluation,
    Stage,
    ever_overdue_q,
    overdue_q,
)
from qifu.core.counts import cached

SORTS = {
    "due": None,  # by the current stage's deadline, soonest first
    "received": "received_at",
    "-received": "-received_at",
    "number": "number",
}


def appeal_list(
    *,
    user: Any,
    stage: str | None = None,
    department: str | None = None,
    category: str | None = None,
    overdue: bool | None = None,
    supervised: bool | None = None,
    extended: bool | None = None,
    late_now: bool | None = None,
    q: str | None = None,
    received_from: dt.date | None = None,
    received_to: dt.date | None = None,
    sort: str = "-received",
) -> QuerySet[Appeal]:
    """Appeals the user may see, filtered and sorted.

    `overdue`: a statutory limit was missed at some stage (extended or not) or is being missed
    now — the API's `overdue`; `late_now`: open and past the current stage's statutory limit."""
    qs = Appeal.objects.for_user(user).select_related("enterprise", "department", "category")
    if stage:
        qs = qs.filter(stage=stage)
    if department:
        qs = qs.filter(department__code=department)
    if category:
        qs = qs.filter(category__code=category)
    now = timezone.now()
    if overdue is True:
        qs = qs.filter(ever_overdue_q(now))
    elif overdue is False:
        qs = qs.exclude(ever_overdue_q(now))
    if late_now is True:
        qs = qs.filter(overdue_q(now))
    elif late_now is False:
        qs = qs.exclude(overdue_q(now))
    if extended is not None:
        qs = qs.filter(is_extended=extended)
    if supervised is not None:
        qs = qs.filter(is_supervised=supervised)
    if q:
        for word in q.split()[:5]:
            qs = qs.filter(
                Q(search_text__icontains=word)
                | Q(number__iexact=word)
                | Q(enterprise__name__icontains=word)
            )
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
    if sort == "due":
        qs = qs.order_by(F("due_at").asc(nulls_last=True), "id")
    else:
        qs = qs.order_by(SORTS.get(sort) or "-received_at", "-id")
    return qs


def appeal_get(*, user: Any, pk: int) -> Appeal:
    """One appeal the user may see, or 404."""
    # The appeal merged into is loaded only when there is one (rare): joining the table to
    # itself doubled the columns to fetch and compile on every detail request.
    return get_for_user_or_404(
        Appeal.objects.select_related("enterprise", "department", "category"),
        user,
        pk=pk,
    )


def appeal_timeline(*, appeal: Appeal, user: Any) -> list[AppealEvent]:
    """Events oldest first; the enterprise sees only the public ones."""
    events = appeal.events.select_related("department").order_by("at", "id")
    if user.enterprise_id:
        events = events.filter(is_public=True)
    return list(events)


def event_note(event: AppealEvent, *, internal: bool) -> str:
    """An entry's text for a reader: the clerk's 研判意见 stays with platform and departments."""
    note = event.note
    conclusion = (event.data or {}).get("conclusion") if event.action == AppealAction.TRIAGE else ""
    if internal and conclusion:
        note = f"{note}\n研判意见：{conclusion}" if note else f"研判意见：{conclusion}"
    return note


def appeal_with_details(*, user: Any, pk: int) -> Appeal:
    appeal = appeal_get(user=user, pk=pk)
    events = AppealEvent.objects.select_related("department").order_by("at", "id")
    if user.enterprise_id:
        events = events.filter(is_public=True)
    return (
        Appeal.objects.filter(pk=appeal.pk)
        .select_related("enterprise", "department", "category", "merged_into")
        .prefetch_related(
            Prefetch("events", queryset=events),
            Prefetch("evaluations", queryset=Evaluation.objects.order_by("created_at", "id")),
            "attachments",
        )
        .get()
    )


COUNTS_TOPIC = "appeals"


def stage_counts(*, user: Any) -> dict[str, int]:
    """Appeals per stage in the user's scope, cached (qifu/core/counts.py)."""
    return stage_counts_at(user=user)[0]


def stage_counts_at(*, user: Any) -> tuple[dict[str, int], dt.datetime]:
    """… and when they were counted, for the page's label."""
    rows = Appeal.objects.for_user(user).values("stage").annotate(n=Count("id")).order_by()

    def compute() -> dict[str, int]:
        counts = {s.value: 0 for s in Stage}
        for row in rows:
            counts[row["stage"]] = row["n"]
        return counts

    return cached(COUNTS_TOPIC, rows, compute)


def categories() -> QuerySet[AppealCategory]:
    return AppealCategory.objects.filter(is_active=True).select_related("default_department")
