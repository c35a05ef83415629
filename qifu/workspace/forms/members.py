"""Forms of the enterprise profile, member invitations and the join page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from qifu.accounts.forms import RULES_HINT
from qifu.accounts.models import Enterprise, Role
from qifu.accounts.validators import validate_mobile
from qifu.core.forms import StyledFormMixin
from qifu.workspace.services.profile import (
    KEY_FIELDS,
    validate_contact_phone,
    validate_id_number,
)

ROLE_CHOICES = [
    (Role.ENTERPRISE_MEMBER.value, "企业用户"),
    (Role.ENTERPRISE_ADMIN.value, "企业管理员"),
]


def percent_text(fraction: Decimal) -> str:
    """0.0350 -> "3.5" (a fraction shown as a percentage without trailing zeros)."""
    return f"{fraction * 100:.2f}".rstrip("0").rstrip(".")


def _code_field() -> forms.CharField:
    return forms.CharField(
        label="短信验证码",
        max_length=6,
        min_length=6,
        error_messages={"min_length": "验证码为6位数字。"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ProfileForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """What the administrator maintains; R&D is typed as a percentage, stored as a fraction."""

    rd_percent = forms.DecimalField(
        label="研发投入占比（%）",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        max_digits=5,
        help_text="上年研发费用占营业收入的百分比，例如 3.5。",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    class Meta:
        model = Enterprise
        fields = [
            "address",
            "employees",
            "revenue",
            "contact_name",
            "contact_phone",
            "legal_representative",
            "legal_representative_id_number",
        ]
        help_texts = {
            "employees": "上年末从业人员数。",
            "contact_phone": "手机号或带区号的固定电话。",
        }

    field_order = [
        "address",
        "employees",
        "revenue",
        "rd_percent",
        "contact_name",
        "contact_phone",
        "legal_representative",
        "legal_representative_id_number",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "rd_percent" not in self.initial:
            self.initial["rd_percent"] = percent_text(self.instance.rd_ratio)
        for name in KEY_FIELDS:
            self.fields[name].help_text = f"{self.fields[name].help_text} 修改需短信验证。".strip()
        self.fields["legal_representative_id_number"].widget.attrs["autocomplete"] = "off"
        self.fields["contact_phone"].widget.attrs["inputmode"] = "tel"

    def _post_clean(self) -> None:
        # The service validates against the model and saves; the form never writes itself.
        pass

    def clean_legal_representative_id_number(self) -> str:
        value: str = self.cleaned_data["legal_representative_id_number"].strip().upper()
        if value:
            validate_id_number(value)
        return value

    def clean_contact_phone(self) -> str:
        value: str = self.cleaned_data["contact_phone"].strip()
        if value:
            validate_contact_phone(value)
        return value

    def changes(self) -> dict[str, Any]:
        """The submitted values under the model's field names (rd_ratio as a fraction)."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["rd_ratio"] = (self.cleaned_data["rd_percent"] / 100).quantize(Decimal("0.0001"))
        return data


class CodeForm(StyledFormMixin, forms.Form):
    code = _code_field()


class InviteForm(StyledFormMixin, forms.Form):
    real_name = forms.CharField(
        label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label="手机号",
        max_length=11,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)


class RoleForm(StyledFormMixin, forms.Form):
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)


class JoinForm(StyledFormMixin, forms.Form):
    code = _code_field()
    username = forms.RegexField(
        label="用户名",
        max_length=30,
        min_length=3,
        regex=r"^[A-Za-z][A-Za-z0-9_.-]*$",
        error_messages={"invalid": "用户名以字母开头，只能包含字母、数字和 _ . -。"},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label="密码",
        strip=False,
        max_length=128,
        help_text=RULES_HINT,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="确认密码",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", "两次输入的密码不一致。")
        return cleaned
