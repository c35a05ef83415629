from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.content.models import FinancingNeed, JobPosting, Notice
from qifu.content.services import EDITABLE_FIELDS, notice_update

WORKFLOW_FIELDS = (
    "status",
    "section",
    "provider_department",
    "created_by",
    "revision",
    "submitted_at",
    "reviewed_by",
    "reviewed_at",
    "review_comment",
    "published_at",
    "withdrawn_at",
)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Edits go through notice_update (so they are re-reviewed); the workflow is read-only here.

    Notices are written and moved through review on the 工作动态 staff pages; they are withdrawn,
    never deleted, so the record of what was published stays (article 12).
    """

    list_display = ["title", "kind", "status", "provider_department", "published_at"]
    list_filter = ["status", "kind", "section", "provider_department"]
    search_fields = ["title", "summary"]
    date_hierarchy = "created_at"
    list_select_related = ["provider_department"]
    fields = [*EDITABLE_FIELDS, *WORKFLOW_FIELDS]
    readonly_fields = WORKFLOW_FIELDS

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Notice, form: Any, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        notice_update(notice=obj, actor=request.user, **changes)


class PostingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: enterprises write postings on their pages, the platform reviews them there."""

    list_display = ["__str__", "enterprise", "status", "expires_on", "published_at"]
    list_filter = ["status"]
    search_fields = ["enterprise__name", "contact_name"]
    list_select_related = ["enterprise"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(JobPosting, PostingAdmin)
admin.site.register(FinancingNeed, PostingAdmin)
