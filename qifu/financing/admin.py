from django.contrib import admin

from qifu.financing.models import FinancingOrder, FinancingRequest, GovernmentFund


@admin.register(GovernmentFund)
class GovernmentFundAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "manager", "operator", "max_amount", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


@admin.register(FinancingRequest)
class FinancingRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "enterprise", "kind", "amount", "term_months", "created_at"]
    list_filter = ["kind"]
    search_fields = ["number", "enterprise__name"]
    list_select_related = ["enterprise"]
    readonly_fields = [f.name for f in FinancingRequest._meta.fields]


@admin.register(FinancingOrder)
class FinancingOrderAdmin(admin.ModelAdmin):
    # Orders change only through their process (the pages and the API), never here.
    list_display = ["request", "provider", "status", "sent_at", "take_due_at", "granted_amount"]
    list_filter = ["status", "provider"]
    list_select_related = ["request", "provider"]
    readonly_fields = [f.name for f in FinancingOrder._meta.fields]
