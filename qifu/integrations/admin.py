from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from qifu.integrations.models import ApiKey, Open311Request
from qifu.integrations.services import api_key_revoke


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: keys are issued on /integrations/keys/ or by `issue_api_key` (shown once)."""

    list_display = [
        "name",
        "prefix",
        "scopes",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    fields = (
        "name",
        "prefix",
        "key_hash",
        "scopes",
        "service_user",
        "created_by",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked, never deleted: the appeals an integration filed keep pointing at its key.
        return False

    @admin.action(description="吊销所选密钥")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            api_key_revoke(key=key, actor=request.user)  # type: ignore[arg-type]
        self.message_user(request, "已吊销所选密钥。")


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["appeal", "api_key", "account_id", "created_at"]
    list_select_related = ["appeal", "api_key"]
    readonly_fields = ["appeal", "api_key", "account_id", "email", "device_id", "media_url"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
