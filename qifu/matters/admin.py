"""Admin: matters are maintained here; applications and licences only viewed
(changes go through the services, so the timeline and audit stay complete)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.matters.models import ELicence, Matter, MatterApplication, MatterEvent


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "department",
        "life_stage",
        "handling_mode",
        "legal_limit_days",
        "promised_limit_days",
        "is_active",
    ]
    list_filter = ["life_stage", "handling_mode", "is_active", "department"]
    search_fields = ["code", "name", "conditions"]
    list_select_related = ["department"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MatterEventInline(admin.TabularInline):
    model = MatterEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "action", "actor_label", "from_state", "to_state", "note")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MatterApplication)
class MatterApplicationAdmin(ReadOnlyAdmin):
    list_display = ["number", "matter", "enterprise", "status", "submitted_at", "due_at"]
    list_filter = ["status"]
    search_fields = ["number", "enterprise__name", "matter__name"]
    list_select_related = ["matter", "enterprise"]
    inlines = [MatterEventInline]


@admin.register(ELicence)
class ELicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "enterprise", "issuer_name", "source", "valid_until"]
    list_filter = ["source"]
    search_fields = ["number", "name", "enterprise__name", "issuer"]
    list_select_related = ["enterprise", "department"]
