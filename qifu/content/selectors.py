"""Reads of 工作动态: the public list, the staff lists and the review queue."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from qifu.accounts.access import get_for_user_or_404
from qifu.content.models import POSTING_MODELS, Notice, NoticeKind, Posting, PostingKind
from qifu.publishing.models import PublicationStatus

PUBLIC_LIMIT = 500  # per kind: the public list is paginated over at most this many of each


def notice_public_list(*, kind: str = "") -> QuerySet[Notice]:
    """Published notices, newest first, optionally of one kind."""
    qs = Notice.objects.published().select_related("provider_department")
    if kind in NoticeKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("-published_at", "-id")


def notice_get_public(*, pk: int) -> Notice | None:
    """One published notice with its provider and reviewer, or None."""
    return (
        Notice.objects.published()
        .select_related("provider_department", "reviewed_by__department")
        .filter(pk=pk)
        .first()
    )


SORTS = {
    "updated": ("-updated_at", "-id"),
    "published": ("-published_at", "-id"),
    "title": ("title", "id"),
    "status": ("status", "-updated_at", "-id"),
}


def notice_manage_list(
    *, user: Any, status: str = "", kind: str = "", q: str = "", sort: str = "updated"
) -> QuerySet[Notice]:
    """Notices of the user's own department (all of them for a superuser), filtered and sorted."""
    qs = Notice.objects.managed_by(user).select_related(
        "created_by", "provider_department", "reviewed_by"
    )
    if status in PublicationStatus.values:
        qs = qs.filter(status=status)
    if kind in NoticeKind.values:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    return qs.order_by(*SORTS.get(sort, SORTS["updated"]))


def notice_review_queue(*, user: Any) -> QuerySet[Notice]:
    """Submitted notices the user may review, oldest submission first."""
    return (
        Notice.objects.reviewable_by(user)
        .select_related("created_by", "provider_department")
        .order_by("submitted_at", "id")
    )


def notice_get_for_user(*, user: Any, pk: int) -> Notice:
    """A notice the user manages or reviews; anything else is a 404."""
    return get_for_user_or_404(
        Notice.objects.select_related("provider_department", "created_by", "reviewed_by"),
        user,
        pk=pk,
    )


# --- 信息发布 -----------------------------------------------------------------------------------


def _public(kind: str, town_id: int | None, valid_on: date | None) -> QuerySet[Posting]:
    model = POSTING_MODELS[kind]
    qs = model.objects.published().select_related("enterprise__region")
    if kind == PostingKind.JOB:
        qs = qs.select_related("place")
    if town_id is not None:
        town_field = "place_id" if kind == PostingKind.JOB else "enterprise__region_id"
        qs = qs.filter(**{town_field: town_id})
    if valid_on is not None:
        qs = qs.filter(expires_on__gte=valid_on)
    return qs  # type: ignore[no-any-return]


def posting_public_list(
    *, kind: str = "", town_id: int | None = None, valid_on: date | None = None
) -> list[Posting]:
    """Published postings of one kind or both, newest first; `valid_on`: still valid that day."""
    kinds = [kind] if kind in POSTING_MODELS else list(POSTING_MODELS)
    items: list[Posting] = []
    for each in kinds:
        items.extend(_public(each, town_id, valid_on)[:PUBLIC_LIMIT])
    items.sort(key=lambda p: (p.published_at, p.pk), reverse=True)
    return items


def posting_get_public(*, kind: str, pk: int) -> Posting | None:
    if kind not in POSTING_MODELS:
        return None
    return _public(kind, None, None).filter(pk=pk).first()


def posting_mine(*, user: Any) -> list[Posting]:
    """The user's enterprise's postings of both kinds, most recently changed first."""
    items: list[Posting] = []
    for model in POSTING_MODELS.values():
        items.extend(model.objects.mine(user).select_related("enterprise"))  # type: ignore[attr-defined]
    items.sort(key=lambda p: (p.updated_at, p.pk), reverse=True)
    return items


def posting_review_queue(*, user: Any) -> list[Posting]:
    """Submitted postings the user may review, oldest submission first."""
    items: list[Posting] = []
    for model in POSTING_MODELS.values():
        items.extend(model.objects.reviewable_by(user).select_related("enterprise", "created_by"))
    items.sort(key=lambda p: (p.submitted_at, p.pk))
    return items


def posting_get_for_user(*, user: Any, kind: str, pk: int) -> Posting:
    """A posting of the user's enterprise, or one sent to the user for review; else 404."""
    if kind not in POSTING_MODELS:
        raise Http404("未知的信息类别。")
    model = POSTING_MODELS[kind]
    return get_for_user_or_404(
        model.objects.select_related("enterprise", "created_by", "reviewed_by"), user, pk=pk
    )


def notice_search_public(*, words: list[str], limit: int = 5) -> QuerySet[Notice]:
    """Published notices whose title or text holds every word (site search), newest first."""
    qs = notice_public_list()
    for word in words:
        qs = qs.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    return qs[:limit]
