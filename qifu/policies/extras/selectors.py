"""Reads of interpretations, topics and lectures: public lists and pages, staff lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from qifu.accounts.access import get_for_user_or_404
from qifu.policies.models import (
    Interpretation,
    Lecture,
    LectureRegistration,
    Policy,
    Topic,
    TopicPolicy,
)
from qifu.publishing.models import Publishable


def interpretation_public_list(*, policy: Policy | None = None) -> QuerySet[Interpretation]:
    """Published interpretations of published policies, newest first."""
    qs = Interpretation.objects.published().filter(policy__in=Policy.objects.published())
    if policy is not None:
        qs = qs.filter(policy=policy)
    return qs.select_related("policy", "provider_department").order_by("-published_at", "-id")


def interpretation_get_public(*, pk: int) -> Interpretation:
    """One published interpretation, or 404."""
    item = interpretation_public_list().filter(pk=pk).first()
    if item is None:
        raise Http404("未找到该解读，或已下线。")
    return item


def topic_public_list() -> QuerySet[Topic]:
    """Published topics, newest first."""
    return (
        Topic.objects.published()
        .select_related("provider_department")
        .order_by("-published_at", "-id")
    )


def topic_get_public(*, pk: int) -> Topic:
    """One published topic with its published policies in order (`topic.shown`), or 404."""
    entries = (
        TopicPolicy.objects.filter(policy__in=Policy.objects.published())
        .select_related("policy__issuer")
        .order_by("position", "id")
    )
    topic = (
        topic_public_list().prefetch_related(Prefetch("entries", entries, "shown")).filter(pk=pk)
    ).first()
    if topic is None:
        raise Http404("未找到该专题，或已下线。")
    return topic


def lecture_public_list(*, now: datetime, past: bool = False) -> QuerySet[Lecture]:
    """Published lectures: upcoming or running ones soonest first, or past ones latest first."""
    qs = (
        Lecture.objects.published()
        .select_related("policy", "provider_department")
        .annotate(registered=Count("registrations"))
    )
    if past:
        return qs.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    return qs.filter(ends_at__gt=now).order_by("starts_at", "id")


def lecture_get_public(*, pk: int) -> Lecture:
    """One published lecture with its registration count, or 404."""
    lecture = (
        Lecture.objects.published()
        .select_related("policy", "provider_department")
        .annotate(registered=Count("registrations"))
        .filter(pk=pk)
        .first()
    )
    if lecture is None:
        raise Http404("未找到该讲堂，或已下线。")
    return lecture


def lecture_registrations(*, lecture: Lecture) -> QuerySet[LectureRegistration]:
    """Who registered for a lecture, first come first."""
    return lecture.registrations.select_related("user", "enterprise").order_by("created_at", "id")


def extra_manage_list(*, model: type[Publishable], user: Any) -> QuerySet[Any]:
    """Items of a kind the user manages or reviews, most recently changed first."""
    return (
        model.objects.for_user(user)  # type: ignore[attr-defined]
        .select_related("created_by", "provider_department")
        .order_by("-updated_at", "-id")
    )


def extra_get_for_user(*, model: type[Publishable], user: Any, pk: int) -> Any:
    """An item the user manages or reviews; anything else is a 404."""
    return get_for_user_or_404(
        model.objects.select_related(  # type: ignore[attr-defined]
            "provider_department", "created_by", "reviewed_by"
        ),
        user,
        pk=pk,
    )
