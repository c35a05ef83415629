from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.policies.models import AutoGrant, Policy, PolicyMute, PolicySubscription


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only here: policies are written on the 政策管理 pages or imported by
    `import_policies`, both through the review workflow; they are withdrawn, never deleted."""

    list_display = ["code", "title", "issuer", "status", "published_on", "expires_on"]
    list_filter = ["status", "is_auto_grant", "issuer"]
    search_fields = ["code", "title"]
    list_select_related = ["issuer"]
    readonly_fields = [f.name for f in Policy._meta.fields if f.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicySubscription)
class PolicySubscriptionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "kind", "value", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "user__username"]
    raw_id_fields = ["user"]


@admin.register(PolicyMute)
class PolicyMuteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "tag", "created_at"]
    search_fields = ["tag", "user__username"]
    raw_id_fields = ["user"]


@admin.register(AutoGrant)
class AutoGrantAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Confirmation happens on the 免申即享名单 page (audited); the list is read-only here."""

    list_display = ["policy", "enterprise", "status", "confirmed_by", "confirmed_at"]
    list_filter = ["status"]
    list_select_related = ["policy", "enterprise", "confirmed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
