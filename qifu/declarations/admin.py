"""Read-only views for data maintenance: every write goes through the services and pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.declarations.models import Application, ApplicationEvent, Call, Objection


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Call)
class CallAdmin(ReadOnlyAdmin):
    list_display = ("title", "provider_department", "status", "opens_on", "closes_on")
    list_filter = ("status", "provider_department")
    search_fields = ("title",)


class EventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ApplicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "action", "actor", "actor_label", "from_state", "to_state", "note")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("project_name", "enterprise", "call", "status", "submitted_at")
    list_filter = ("status",)
    search_fields = ("project_name", "enterprise__name")
    list_select_related = ("enterprise", "call")
    inlines = [EventInline]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("application", "status", "created_at", "answered_at")
    list_filter = ("status",)
    list_select_related = ("application", "application__enterprise")
