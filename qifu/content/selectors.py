"""Reads of 工作动态: the public list, the staff lists and the review queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from qifu.accounts.access import get_for_user_or_404
from qifu.content.models import Notice, NoticeKind
from qifu.publishing.models import PublicationStatus


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
