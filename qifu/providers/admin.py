from django.contrib import admin

from qifu.providers.models import Provider, ProviderDocument, ProviderMember


class MemberInline(admin.TabularInline):
    model = ProviderMember
    fk_name = "provider"
    extra = 0
    raw_id_fields = ["user", "added_by"]


class DocumentInline(admin.TabularInline):
    model = ProviderDocument
    extra = 0
    fields = ["title", "original_name", "content_type", "size"]
    readonly_fields = ["original_name", "content_type", "size"]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "credit_code", "contact_name", "submitted_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "credit_code"]
    # Status changes go through the review pages (the process table), never the admin.
    readonly_fields = ["status", "submitted_at", "reviewed_at", "reviewed_by", "review_comment"]
    inlines = [MemberInline, DocumentInline]
