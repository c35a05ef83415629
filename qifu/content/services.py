"""Writes of 工作动态; the workflow itself is qifu.publishing's, shared by all published content."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from qifu.accounts.models import Department, DepartmentKind, Section
from qifu.content.models import POSTING_MODELS, Notice, Posting, PostingKind
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


# --- 信息发布 -----------------------------------------------------------------------------------

POSTING_FIELDS: dict[str, tuple[str, ...]] = {
    PostingKind.JOB: (
        "position",
        "headcount",
        "pay",
        "place",
        "requirements",
        "contact_name",
        "contact_phone",
        "expires_on",
    ),
    PostingKind.FINANCING: (
        "amount",
        "term_months",
        "use",
        "guarantee",
        "contact_name",
        "contact_phone",
        "expires_on",
    ),
}


def postings_reviewing_agency() -> Department:
    """The agency that runs the 办事服务 section reviews enterprise postings (article 5)."""
    for department in Department.objects.filter(kind=DepartmentKind.AGENCY).order_by("pk"):
        if Section.SERVICES in (department.sections or []):
            return department
    raise ImproperlyConfigured("没有负责“办事服务”版块的平台管理机构。")


def posting_create(*, kind: str, author: Any, **fields: Any) -> Posting:
    """Write a posting as a draft of the author's enterprise; it is public only after review."""
    if kind not in POSTING_MODELS:
        raise ValueError(f"unknown posting kind: {kind}")
    unknown = set(fields) - set(POSTING_FIELDS[kind])
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if not author.is_authenticated or not author.enterprise_id:
        raise PermissionDenied("只有企业用户可以发布本企业的信息。")
    item = POSTING_MODELS[kind](
        enterprise_id=author.enterprise_id,
        provider_department=postings_reviewing_agency(),
        **fields,
    )
    return publication_create(item=item, author=author)


def posting_update(*, posting: Posting, actor: Any, **changes: Any) -> Posting:
    """Edit a posting; changed content of an approved or published posting is reviewed again."""
    unknown = set(changes) - set(POSTING_FIELDS[posting.KIND])
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return publication_update(item=posting, actor=actor, changes=changes)
