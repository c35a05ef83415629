"""Writes of 工作动态; the workflow itself is qifu.publishing's, shared by all published content."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from qifu.content.models import Notice
from qifu.publishing.services import publication_create, publication_update

EDITABLE_FIELDS = ("kind", "title", "summary", "body", "publish_at", "expires_on")


def notice_create(
    *,
    author: Any,
    kind: str,
    title: str,
    body: str,
    summary: str = "",
    publish_at: datetime | None = None,
    expires_on: date | None = None,
) -> Notice:
    """Write a notice as a draft of the author's department."""
    notice = Notice(
        kind=kind,
        title=title,
        summary=summary,
        body=body,
        publish_at=publish_at,
        expires_on=expires_on,
    )
    return publication_create(item=notice, author=author)


def notice_update(*, notice: Notice, actor: Any, **changes: Any) -> Notice:
    """Edit a notice; see qifu.publishing.services for when an edit needs review again."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return publication_update(item=notice, actor=actor, changes=changes)
