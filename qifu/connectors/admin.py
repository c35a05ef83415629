from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from qifu.connectors.models import Connector, ExternalCase, ExternalCaseEvent
from qifu.connectors.services import connector_set_active


@admin.register(Connector)
class ConnectorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Registered on /connectors/ (the secret is shown once there); here only viewed and toggled."""

    list_display = ["code", "name", "entry_url", "secret_rotated_at", "is_active"]
    fields = ("code", "name", "entry_url", "secret_rotated_at", "is_active", "created_at")
    readonly_fields = fields
    actions = ["enable", "disable"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="启用所选外部系统")
    def enable(self, request: HttpRequest, queryset: QuerySet[Connector]) -> None:
        for connector in queryset:
            connector_set_active(connector=connector, is_active=True, actor=request.user)  # type: ignore[arg-type]

    @admin.action(description="停用所选外部系统")
    def disable(self, request: HttpRequest, queryset: QuerySet[Connector]) -> None:
        for connector in queryset:
            connector_set_active(connector=connector, is_active=False, actor=request.user)  # type: ignore[arg-type]


class ExternalCaseEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ExternalCaseEvent
    fields = ("event_id", "status", "status_text", "occurred_at", "is_current", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ExternalCase)
class ExternalCaseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: cases change only through signed events from their external system."""

    list_display = [
        "external_id",
        "connector",
        "enterprise",
        "matter_code",
        "status",
        "last_event_at",
    ]
    list_filter = ["connector", "status"]
    list_select_related = ["connector", "enterprise"]
    search_fields = ["external_id", "matter_code", "enterprise__name", "enterprise__credit_code"]
    readonly_fields = [
        "connector",
        "external_id",
        "enterprise",
        "matter_code",
        "status",
        "status_text",
        "last_event_at",
        "licence",
    ]
    inlines = [ExternalCaseEventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
