"""Reads of API keys."""

from __future__ import annotations

from django.db.models import QuerySet

from qifu.integrations.models import ApiKey


def api_key_list() -> QuerySet[ApiKey]:
    """Every key, newest first, with who issued it."""
    return ApiKey.objects.select_related("created_by").order_by("-created_at", "-id")
