"""Scoped reads for matters, applications and e-licences."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from qifu.accounts.models import Enterprise
from qifu.core.segmentation import words
from qifu.matters.models import (
    ELicence,
    LifeStage,
    Matter,
    MatterApplication,
    MatterEvent,
    Status,
)

MAX_SEARCH_TOKENS = 8


def matters_active() -> QuerySet[Matter]:
    """Active matters with their department, in catalogue order."""
    return Matter.objects.filter(is_active=True).select_related("department")


def matters_search(*, query: str = "", life_stage: str = "") -> QuerySet[Matter]:
    """Active matters whose name, code, conditions or department match every word of `query`."""
    matters = matters_active()
    if life_stage:
        matters = matters.filter(life_stage=life_stage)
    query = query.strip()
    if not query:
        return matters
    # Segment the query (jieba) so "食品生产的许可" still finds "食品生产许可"; each word must
    # appear somewhere, so adding words narrows the result as users expect.
    tokens = list(dict.fromkeys(words(query)))[:MAX_SEARCH_TOKENS] or [query]
    for token in tokens:
        matters = matters.filter(
            Q(name__icontains=token)
            | Q(code__icontains=token)
            | Q(conditions__icontains=token)
            | Q(department__name__icontains=token)
        )
    return matters


def catalogue_groups(matters: QuerySet[Matter]) -> list[tuple[str, str, list[Matter]]]:
    """Matters grouped by life stage, in the order 开办 → 注销, empty stages left out."""
    by_stage: dict[str, list[Matter]] = {value: [] for value in LifeStage.values}
    for matter in matters:
        by_stage[matter.life_stage].append(matter)
    return [
        (value, label, by_stage[value]) for value, label in LifeStage.choices if by_stage[value]
    ]


def matter_applications_for(enterprise: Enterprise) -> QuerySet[MatterApplication]:
    """An enterprise's applications, newest first (for its space)."""
    return MatterApplication.objects.filter(enterprise=enterprise).select_related(
        "matter", "matter__department", "elicence"
    )


def elicences_for(enterprise: Enterprise) -> QuerySet[ELicence]:
    """The e-licences held by an enterprise (for its space)."""
    return ELicence.objects.filter(enterprise=enterprise).select_related("department")


def department_inbox(*, user: Any, status: str = "") -> QuerySet[MatterApplication]:
    """Applications for the user's department's matters, open ones first by deadline."""
    applications = (
        MatterApplication.objects.for_user(user)
        .exclude(status=Status.DRAFT)
        .select_related("matter", "enterprise")
    )
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("decided_at", "due_at", "-id")


def application_timeline(application: MatterApplication) -> QuerySet[MatterEvent]:
    return application.events.select_related("actor")
