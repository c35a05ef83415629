"""Data maintenance (数据维护) of accounts and organisations; role changes go through services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from qifu.accounts.models import Department, Enterprise, RoleGrant, User
from qifu.accounts.services import role_grant, role_grant_check, role_revoke, user_update
from qifu.core.audit import audit_record


class QifuUserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username",)


class QifuUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ("role", "department", "enterprise", "granted_by", "created_at")
    # The scope of a role follows the user's own department or enterprise (services.role_grant).
    readonly_fields = ("department", "enterprise", "granted_by", "created_at")
    verbose_name = "角色"
    verbose_name_plural = "角色授权"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = QifuUserChangeForm
    add_form = QifuUserCreationForm
    inlines = [RoleGrantInline]
    list_display = (
        "username",
        "real_name",
        "masked_phone_display",
        "enterprise",
        "department",
        "is_active",
        "is_superuser",
        "last_login",
    )
    list_filter = ("is_active", "is_staff", "is_superuser", "role_grants__role", "department")
    search_fields = ("username", "real_name", "enterprise__name", "enterprise__credit_code")
    list_select_related = ("enterprise", "department")
    ordering = ("username",)
    autocomplete_fields = ("enterprise", "department")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("个人信息", {"fields": ("real_name", "phone", "email", "organisation_name")}),
        ("所属单位", {"fields": ("enterprise", "department")}),
        (
            "权限",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("时间", {"fields": ("last_login", "date_joined", "password_changed_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined", "password_changed_at")
    actions = ["deactivate_users"]

    # An account that appears in the audit log is kept (the log names it, MLPS 2.0 安全审计 c):
    # it can be deactivated, not deleted.
    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        user = self.get_object(request, object_id)
        if user is not None and user.audit_events.exists():
            self.message_user(
                request,
                f"账号 {user.username} 已有审计记录，按等保要求不能删除；"
                "请在下方取消勾选“有效”并保存以停用该账号（停用后其会话和API令牌立即失效）。",
                level=messages.ERROR,
            )
            return redirect("admin:accounts_user_change", user.pk)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="停用所选账号（保留审计记录）", permissions=["change"])
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        for user in queryset.filter(is_active=True):
            user.is_active = False
            user_update(user=user, changed_fields=["is_active"], actor=request.user)  # type: ignore[arg-type]
            count += 1
        self.message_user(request, f"已停用 {count} 个账号。", level=messages.SUCCESS)

    @admin.display(description="手机号")
    def masked_phone_display(self, obj: User) -> str:
        return obj.masked_phone

    def save_model(self, request: HttpRequest, obj: User, form: ModelForm, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            audit_record(
                action="accounts.user.create", actor=request.user, target=obj, summary=obj.username
            )
            return
        user_update(user=obj, changed_fields=list(form.changed_data), actor=request.user)  # type: ignore[arg-type]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        # Grants and revocations go through the services, which check the one-admin-per-department
        # rule and write the audit rows.
        user: User = form.instance
        actor: User = request.user  # type: ignore[assignment]
        # The admin's change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not getattr(inline_form, "cleaned_data", None):
                continue
            old_role = inline_form.initial.get("role")
            new_role = inline_form.cleaned_data.get("role")
            instance = inline_form.instance
            try:
                if formset._should_delete_form(inline_form):  # type: ignore[attr-defined]
                    if instance.pk is not None and old_role:
                        role_revoke(user=user, role=old_role, revoked_by=actor)
                        formset.deleted_objects.append(instance)
                elif instance.pk is None and new_role:
                    grant = role_grant(user=user, role=new_role, granted_by=actor)
                    formset.new_objects.append(grant)
                elif instance.pk is not None and old_role != new_role:
                    role_revoke(user=user, role=old_role, revoked_by=actor)
                    grant = role_grant(user=user, role=new_role, granted_by=actor)
                    formset.changed_objects.append((grant, ["role"]))
            except ValidationError as exc:
                self.message_user(request, "；".join(exc.messages), level=messages.ERROR)


class RoleGrantAdminForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ("user", "role")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        user, role = cleaned.get("user"), cleaned.get("role")
        if user is not None and role:
            try:
                role_grant_check(user=user, role=role)
            except ValidationError as exc:
                self.add_error("role", exc.messages)
        return cleaned


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    form = RoleGrantAdminForm
    list_display = ("user", "role", "department", "enterprise", "granted_by", "created_at")
    list_filter = ("role", "department")
    search_fields = ("user__username", "user__real_name", "enterprise__name")
    list_select_related = ("user", "department", "enterprise", "granted_by")
    autocomplete_fields = ("user",)
    fields = ("user", "role", "department", "enterprise", "granted_by", "created_at")
    readonly_fields = ("department", "enterprise", "granted_by", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A grant is given or taken away, never edited in place: both are audited.
        return False

    def save_model(
        self, request: HttpRequest, obj: RoleGrant, form: ModelForm, change: bool
    ) -> None:
        grant = role_grant(user=obj.user, role=obj.role, granted_by=request.user)  # type: ignore[arg-type]
        obj.pk = grant.pk

    def delete_model(self, request: HttpRequest, obj: RoleGrant) -> None:
        role_revoke(user=obj.user, role=obj.role, revoked_by=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleGrant]) -> None:
        for grant in queryset.select_related("user"):
            self.delete_model(request, grant)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "short_name", "kind", "parent", "is_active", "sort_order")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    list_editable = ("sort_order",)
    ordering = ("sort_order", "code")

    def save_model(
        self, request: HttpRequest, obj: Department, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action="accounts.department.update" if change else "accounts.department.create",
            actor=request.user,
            target=obj,
            summary=obj.name,
            data={"fields": sorted(form.changed_data)},
        )


class IndustrySectionFilter(admin.SimpleListFilter):
    """GB/T 4754-2017 sections (门类): the first letter of the industry code."""

    title = "行业门类"
    parameter_name = "industry_section"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        from qifu.accounts.forms import INDUSTRY_SECTIONS

        return INDUSTRY_SECTIONS

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(industry__startswith=value) if value else queryset


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "credit_code",
        "industry",
        "scale",
        "region",
        "contact_name",
        "masked_contact_phone_display",
        "is_active",
    )
    list_filter = ("scale", "region", IndustrySectionFilter, "is_active")
    search_fields = ("name", "credit_code")
    list_select_related = ("region",)
    autocomplete_fields = ("region",)

    @admin.display(description="联系电话")
    def masked_contact_phone_display(self, obj: Enterprise) -> str:
        return obj.masked_contact_phone

    def save_model(
        self, request: HttpRequest, obj: Enterprise, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action="accounts.enterprise.update" if change else "accounts.enterprise.create",
            actor=request.user,
            target=obj,
            summary=obj.name,
            data={"fields": sorted(form.changed_data)},
        )
