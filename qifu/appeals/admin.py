"""Admin: categories are edited here; appeals only viewed (changes go through services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.appeals.models import Appeal, AppealCategory, AppealEvent


@admin.register(AppealCategory)
class AppealCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "default_department", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]
    list_filter = ["is_active", "default_department"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "description", "default_department", "sort_order", "is_active"]


class AppealEventInline(admin.TabularInline):
    model = AppealEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "at",
        "action",
        "actor_label",
        "department",
        "from_state",
        "to_state",
        "note",
        "is_public",
    )
    ordering = ["at", "id"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """Read-only: every transition is a locked, audited service call, never an admin edit."""

    list_display = [
        "number",
        "title",
        "enterprise",
        "stage",
        "department",
        "received_at",
        "is_supervised",
    ]
    list_filter = ["stage", "department", "is_supervised", "category", "channel"]
    search_fields = ["number", "title", "enterprise__name", "enterprise__credit_code"]
    date_hierarchy = "received_at"
    list_select_related = ["enterprise", "department"]
    inlines = [AppealEventInline]
    exclude = ["search_text", "idempotency_key", "reminded_for", "overdue_marked_for"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
