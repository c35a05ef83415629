"""Read-only views of 校企共建 for the superuser: changes go through the pages and services."""

from __future__ import annotations

from django.contrib import admin

from qifu.cooperation.models import Cooperation, Resource, TechNeed
from qifu.market.admin import ReadOnly


@admin.register(Resource)
class ResourceAdmin(ReadOnly):
    list_display = ["title", "provider", "kind", "industry", "status", "published_at"]
    list_filter = ["status", "kind", "industry"]
    search_fields = ["title", "provider__name"]
    list_select_related = ["provider"]


@admin.register(TechNeed)
class TechNeedAdmin(ReadOnly):
    list_display = ["title", "enterprise", "industry", "status", "published_at"]
    list_filter = ["status", "industry"]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise"]


@admin.register(Cooperation)
class CooperationAdmin(ReadOnly):
    list_display = ["number", "title", "enterprise", "provider", "status", "agreed_on"]
    list_filter = ["status", "agreement_form"]
    search_fields = ["number", "title", "enterprise__name", "provider__name"]
    list_select_related = ["enterprise", "provider"]
