from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpRequest

from qifu.workdays.models import Holiday
from qifu.workdays.services import holiday_delete, holiday_upsert, holidays_delete


class YearFilter(admin.SimpleListFilter):
    title = "年份"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = (
            Holiday.objects.annotate(y=ExtractYear("on"))
            .values_list("y", flat=True)
            .distinct()
            .order_by("-y")
        )
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> QuerySet[Holiday]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(on__year=int(value))
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["on", "weekday", "kind", "name", "note", "updated_at"]
    list_filter = [YearFilter, "is_workday"]
    search_fields = ["name", "note"]
    date_hierarchy = "on"
    ordering = ["-on"]
    fields = ["on", "is_workday", "name", "note"]

    @admin.display(description="星期")
    def weekday(self, obj: Holiday) -> str:
        return obj.weekday_label

    @admin.display(description="类型", ordering="is_workday")
    def kind(self, obj: Holiday) -> str:
        return obj.kind_label

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The date is the key of the upsert: a different date is a different row.
        return ["on"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Holiday, form: Any, change: bool) -> None:
        saved, _ = holiday_upsert(
            on=obj.on, is_workday=obj.is_workday, name=obj.name, note=obj.note, actor=request.user
        )
        obj.pk, obj.created_at, obj.updated_at = saved.pk, saved.created_at, saved.updated_at
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Holiday) -> None:
        holiday_delete(holiday=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Holiday]) -> None:
        holidays_delete(holidays=list(queryset), actor=request.user)
