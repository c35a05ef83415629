"""The audit log in data maintenance: searchable by auditors, never editable by anyone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.core.models import AuditEvent


def can_read_audit(user: Any) -> bool:
    """Superusers and holders of the auditor role (审计员) may read the audit log."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or (hasattr(user, "has_role") and user.has_role("auditor")))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor_username",
        "action",
        "outcome",
        "object_type",
        "object_id",
        "ip_address",
        "summary",
    )
    list_filter = ("outcome", "at", "action")
    search_fields = ("actor_username", "action", "object_type", "object_id", "summary")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    actions = None
    show_full_result_count = False

    # MLPS 2.0 level 3, 安全审计 c: records are protected from modification and deletion.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can_read_audit(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_read_audit(request.user)
