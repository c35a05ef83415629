"""Read-only views of the 服务超市 for the superuser: every change goes through the pages (the
services and the process table), so the history stays whole."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.market.models import Complaint, Draw, Offering, Order


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Offering)
class OfferingAdmin(ReadOnly):
    list_display = ["title", "provider", "category", "status", "published_at"]
    list_filter = ["status", "category"]
    search_fields = ["title", "provider__name"]
    list_select_related = ["provider"]


@admin.register(Order)
class OrderAdmin(ReadOnly):
    list_display = ["number", "title", "enterprise", "provider", "method", "status", "rating"]
    list_filter = ["status", "method", "category"]
    search_fields = ["number", "title", "enterprise__name", "provider__name"]
    list_select_related = ["enterprise", "provider"]


@admin.register(Draw)
class DrawAdmin(ReadOnly):
    list_display = ["order", "chosen", "seed", "drawn_at"]
    list_select_related = ["order", "chosen"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnly):
    list_display = ["order", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    list_select_related = ["order"]
