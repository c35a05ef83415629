"""Reads of providers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from qifu.providers.models import Provider, ProviderEvent, ProviderStatus


def provider_directory(*, kind: str = "") -> QuerySet[Provider]:
    """Approved providers, for the public directory and the apps' choosers."""
    qs = Provider.objects.approved()
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "name")


def providers_to_review(*, user: Any, status: str = "") -> QuerySet[Provider]:
    qs = Provider.objects.for_user(user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-id")


def provider_events(provider: Provider, *, public_only: bool = False) -> QuerySet[ProviderEvent]:
    qs = provider.events.select_related("actor").order_by("at", "id")
    return qs.filter(is_public=True) if public_only else qs


def pending_count() -> int:
    return Provider.objects.filter(status=ProviderStatus.SUBMITTED).count()
