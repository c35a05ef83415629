"""Forms of 校企共建: errors next to each field, in Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from qifu.cooperation.models import AgreementForm, Industry, Resource, ResourceKind, TechNeed
from qifu.core.forms import StyledFormMixin

REQUIRED = {"required": "此项为必填项。"}
TEXT_ERRORS = {
    "title": {"required": "请填写名称。", "max_length": "名称不能超过 100 字。"},
    "description": {"required": "请填写内容介绍。", "max_length": "不能超过 3000 字。"},
    "industry": {"required": "请选择所属产业链。"},
    "contact_name": {"required": "请填写联系人。"},
    "contact_phone": {"required": "请填写联系电话。"},
}


class ResourceForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Resource
        fields = list(Resource.CONTENT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {**TEXT_ERRORS, "kind": {"required": "请选择资源类型。"}}


class NeedForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TechNeed
        fields = list(TechNeed.CONTENT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            **TEXT_ERRORS,
            "description": {
                "required": "请描述需要解决的技术问题。",
                "max_length": "不能超过 3000 字。",
            },
        }


class ProposeForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="留言", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="说明",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写说明。"},
    )


class AgreeForm(StyledFormMixin, forms.Form):
    form = forms.ChoiceField(
        label="合作形式",
        choices=[("", "请选择"), *list(AgreementForm.choices)],
        error_messages=REQUIRED,
    )
    agreed_on = forms.DateField(
        label="签约日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请填写签约日期。", "invalid": "请填写有效的日期。"},
    )
    amount = forms.DecimalField(
        label="合同金额（万元）",
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("99999999"),
    )
    summary = forms.CharField(
        label="协议要点",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写协议要点。"},
    )


class OutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.CharField(
        label="合作成效",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写合作成效。"},
        help_text="例如：新产品投产、专利授权、新增产值",
    )
    completed_on = forms.DateField(
        label="见效日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "请填写有效的日期。"},
    )


class FilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="资源类型", required=False, choices=[("", "全部类型"), *list(ResourceKind.choices)]
    )
    industry = forms.ChoiceField(
        label="产业链", required=False, choices=[("", "全部产业链"), *list(Industry.choices)]
    )
    q = forms.CharField(label="关键词", required=False, max_length=50)

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
