"""Forms of the 服务超市: errors next to each field, in Chinese."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from qifu.core.forms import StyledFormMixin
from qifu.market.models import Category, Offering, SelectionMethod

REQUIRED = {"required": "此项为必填项。"}
MONEY = {
    "max_digits": 12,
    "decimal_places": 2,
    "min_value": Decimal("0"),
    "max_value": Decimal("9999999999"),
}


class OfferingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Offering
        fields = list(Offering.CONTENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {"required": "请填写服务名称。", "max_length": "服务名称不能超过 100 字。"},
            "description": {
                "required": "请写明服务内容。",
                "max_length": "服务内容不能超过 3000 字。",
            },
            "category": {"required": "请选择服务类别。"},
            "area_served": {"required": "请填写服务区域。"},
            "promised_working_days": {"required": "请填写承诺办理时限。"},
        }


class OrderForm(StyledFormMixin, forms.Form):
    """Order an offering directly."""

    description = forms.CharField(
        label="需求说明",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "请写明需要的服务内容。", "max_length": "不能超过 3000 字。"},
    )
    budget = forms.DecimalField(label="预算（元）", required=False, **MONEY)  # type: ignore[arg-type]
    contact_name = forms.CharField(label="联系人", max_length=50, error_messages=REQUIRED)
    contact_phone = forms.CharField(label="联系电话", max_length=20, error_messages=REQUIRED)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class NeedForm(OrderForm):
    """Post a need: the provider is chosen among quotes or drawn at random."""

    field_order = ["category", "method", "title", "description", "budget"]
    category = forms.ChoiceField(
        label="服务类别", choices=[("", "请选择"), *list(Category.choices)], error_messages=REQUIRED
    )
    method = forms.ChoiceField(
        label="选择服务机构的方式",
        choices=[
            (SelectionMethod.QUOTE.value, "竞价选择：入驻机构报价，由我选定"),
            (SelectionMethod.DRAW.value, "随机抽取：在该类别的入驻机构中随机抽取，过程留痕可复核"),
        ],
        widget=forms.RadioSelect,
        initial=SelectionMethod.QUOTE.value,
        error_messages=REQUIRED,
    )
    title = forms.CharField(
        label="需求名称",
        max_length=100,
        error_messages={"required": "请填写需求名称。", "max_length": "不能超过 100 字。"},
    )


class QuoteForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label="报价（元）",
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("9999999999"),
        error_messages=REQUIRED,
    )
    working_days = forms.IntegerField(
        label="完成时限（工作日）", min_value=1, max_value=250, error_messages=REQUIRED
    )
    note = forms.CharField(
        label="报价说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(StyledFormMixin, forms.Form):
    working_days = forms.IntegerField(
        label="承诺完成时限（工作日）", min_value=1, max_value=250, required=False
    )


class DeclineForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="不接单的原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请说明不接单的原因。"},
        help_text="企业将看到此原因；需求会退回企业重新选定机构。",
    )


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="取消原因（选填）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ResultForm(StyledFormMixin, forms.Form):
    result = forms.CharField(
        label="服务结果",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写服务结果。"},
    )


class RateForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="评分",
        choices=[(str(i), f"{i} 星") for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择 1 到 5 星的评分。"},
    )
    comment = forms.CharField(
        label="评价", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ComplaintForm(StyledFormMixin, forms.Form):
    content = forms.CharField(
        label="投诉内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请写明投诉的事由。"},
    )


class ResponseForm(StyledFormMixin, forms.Form):
    response = forms.CharField(
        label="处理结果",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写处理结果。"},
    )


class FilterForm(StyledFormMixin, forms.Form):
    category = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *list(Category.choices)]
    )
    q = forms.CharField(label="关键词", required=False, max_length=50)

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
