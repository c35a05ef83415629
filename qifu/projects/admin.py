from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from qifu.projects.models import Project, ProjectItem, ProjectItemTemplate


@admin.register(ProjectItemTemplate)
class ProjectItemTemplateAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "stage", "department_code", "working_days", "is_active"]
    list_display_links = ["name"]
    list_filter = ["stage", "is_active"]
    ordering = ["order"]


class ProjectItemInline(admin.TabularInline):
    model = ProjectItem
    fields = ("stage", "name", "status", "planned_start_on", "planned_end_on", "actual_end_on")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Read-only here: every change goes through the services (history and audit)."""

    list_display = ["name", "enterprise", "current_stage", "status", "steward"]
    list_filter = ["status", "current_stage"]
    search_fields = ["name", "code", "enterprise__name"]
    inlines = [ProjectItemInline]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
