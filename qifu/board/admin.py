from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.board.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: messages are answered and converted on /messages/manage/ through the services."""

    list_display = ["number", "title", "status", "author_company", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    list_select_related = ["enterprise", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
