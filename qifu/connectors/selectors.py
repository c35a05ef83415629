"""Reads for external systems and the cases they report."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from qifu.accounts.models import Enterprise
from qifu.connectors.models import Connector, ExternalCase, ExternalCaseEvent


def connector_list() -> QuerySet[Connector]:
    """All registered external systems, for the superuser's page."""
    return Connector.objects.order_by("code")


def external_cases_for(enterprise: Enterprise) -> QuerySet[ExternalCase]:
    """An enterprise's cases in external systems, newest status first, with their timelines."""
    return (
        ExternalCase.objects.filter(enterprise=enterprise)
        .select_related("connector")
        .prefetch_related(
            Prefetch("events", queryset=ExternalCaseEvent.objects.order_by("-occurred_at", "-pk"))
        )
        .order_by("-last_event_at", "-pk")
    )


def matter_name(matter_code: str) -> str:
    """The catalogue name of the matter handed over (the catalogue app owns matters)."""
    from django.apps import apps

    matter = apps.get_model("matters", "Matter")
    name = matter.objects.filter(code=matter_code).values_list("name", flat=True).first()
    return str(name or matter_code)
