"""Reads of the publishing workflow: an item's versions and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from qifu.publishing.models import PublicationEvent, Publishable, Revision


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    label: str
    actor: str
    comment: str
    revision: int | None


def revision_list(*, item: Publishable) -> QuerySet[Revision]:
    """The saved versions of an item, newest first."""
    return (
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            object_id=item.pk,
        )
        .select_related("author")
        .order_by("-version")
    )


def latest_author_id(item: Publishable) -> int | None:
    """Who saved the item's latest version."""
    return (
        Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            object_id=item.pk,
        )
        .order_by("-version")
        .values_list("author_id", flat=True)
        .first()
    )


def publication_history(*, item: Publishable) -> list[HistoryEntry]:
    """An item's steps of review and publication, oldest first."""
    events = (
        PublicationEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            object_id=item.pk,
        )
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        HistoryEntry(
            at=event.at,
            action=event.action,
            label=event.get_action_display(),
            actor=str(event.actor) if event.actor else event.actor_label,
            comment=event.note,
            revision=(event.data or {}).get("revision"),
        )
        for event in events
    ]
