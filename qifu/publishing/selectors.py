"""Reads of the publishing workflow: an item's versions and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from qifu.core.models import AuditEvent
from qifu.publishing.models import Publishable, Revision
from qifu.publishing.services import ACTION_LABELS


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


def publication_history(*, item: Publishable) -> list[HistoryEntry]:
    """An item's publishing.* audit entries, oldest first: the one record of its transitions."""
    events = (
        AuditEvent.objects.filter(
            object_type=item._meta.label_lower,
            object_id=str(item.pk),
            action__startswith="publishing.",
        )
        .select_related("actor")
        .order_by("at", "id")
    )
    entries = []
    for event in events:
        code = event.action.removeprefix("publishing.")
        data: dict[str, Any] = event.data or {}
        entries.append(
            HistoryEntry(
                at=event.at,
                action=code,
                label=ACTION_LABELS.get(code, code),
                actor=str(event.actor) if event.actor else event.actor_username,
                comment=str(data.get("comment", "")),
                revision=data.get("revision"),
            )
        )
    return entries
