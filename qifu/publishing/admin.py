from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.publishing.models import Revision


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: versions are written by the publishing services only."""

    list_display = ["__str__", "status", "author", "created_at"]
    list_filter = ["content_type", "status"]
    readonly_fields = [f.name for f in Revision._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
