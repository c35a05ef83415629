"""Forms of 融资服务; cross-field rules live in the services and models, shown next to the
field (qifu.core.forms.apply_errors)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from qifu.accounts.models import Scale
from qifu.core.forms import StyledFormMixin
from qifu.financing.models import (
    MAX_AMOUNT,
    MAX_RATE,
    MAX_TERM_MONTHS,
    FinancialProduct,
    FinancingNews,
    FundKind,
    GovernmentFund,
    ProductKind,
    RequestKind,
)
from qifu.providers.models import FINANCIAL_KINDS, Provider

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _amount(label: str, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        error_messages={
            "invalid": "请输入数字。",
            "max_value": f"不能超过{MAX_AMOUNT:,.0f}万元。",
            "min_value": "须大于0。",
            "max_digits": "数字过大。",
            "max_decimal_places": "最多保留两位小数。",
        },
        **kw,
    )


def _rate(label: str, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_RATE,
        error_messages={
            "invalid": "请输入数字。",
            "max_value": f"年利率不能超过{MAX_RATE}%。",
            "min_value": "年利率不能为负数。",
            "max_digits": "数字过大。",
            "max_decimal_places": "最多保留两位小数。",
        },
        **kw,
    )


def _term(label: str, **kw: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_TERM_MONTHS,
        error_messages={
            "invalid": "请输入整数（月）。",
            "min_value": "至少1个月。",
            "max_value": f"不能超过{MAX_TERM_MONTHS}个月。",
        },
        **kw,
    )


class NewsForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FinancingNews
        fields = ["title", "summary", "body", "publish_at", "expires_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "publish_at": _DATETIME,
            "expires_on": _DATE,
        }
        error_messages = {
            "title": {"required": "请填写标题。"},
            "body": {"required": "请填写正文。"},
        }


class ProductForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    amount_min = _amount("最低额度（万元）")
    amount_max = _amount("最高额度（万元）")
    term_min_months = _term("最短期限（月）")
    term_max_months = _term("最长期限（月）")
    rate_min = _rate("最低年利率（%）")
    rate_max = _rate("最高年利率（%）")
    scales = forms.MultipleChoiceField(
        label="适用企业规模",
        choices=Scale.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选为不限",
    )
    industries = forms.CharField(
        label="适用行业",
        required=False,
        max_length=200,
        help_text="国民经济行业代码前缀，用逗号分隔，如 C13,A04；留空为不限",
    )

    class Meta:
        model = FinancialProduct
        fields = [
            "name",
            "kind",
            "amount_min",
            "amount_max",
            "term_min_months",
            "term_max_months",
            "rate_min",
            "rate_max",
            "conditions",
            "description",
            "scales",
            "industries",
            "min_years",
            "expires_on",
        ]
        widgets = {
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "expires_on": _DATE,
        }
        error_messages = {
            "name": {"required": "请填写产品名称。"},
            "conditions": {"required": "请填写申请条件。"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and isinstance(self.instance.industries, list):
            self.initial["industries"] = ",".join(self.instance.industries)

    def clean_industries(self) -> list[str]:
        raw = self.cleaned_data.get("industries") or ""
        codes = [c.strip().upper() for c in re.split(r"[,，\s]+", raw) if c.strip()]
        bad = [c for c in codes if not re.fullmatch(r"[A-T]\d{0,4}", c)]
        if bad:
            raise forms.ValidationError(f"行业代码格式不正确：{'、'.join(bad)}（例如 C13）。")
        return codes

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value and "expires_on" in self.changed_data and value < timezone.localdate():
            raise forms.ValidationError("有效期不能早于今天。")
        return value


class RequestForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="融资方式", choices=RequestKind.choices, initial=RequestKind.ANY)
    amount = _amount("融资金额（万元）")
    term_months = _term("期限（月）")
    purpose = forms.CharField(
        label="资金用途", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    guarantee = forms.CharField(
        label="可提供的担保",
        max_length=200,
        required=False,
        help_text="如：厂房抵押、专利质押、担保公司担保",
    )
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    chosen_provider = forms.ModelChoiceField(
        label="意向金融机构",
        queryset=Provider.objects.none(),
        required=False,
        empty_label="不指定（推送给最匹配的机构）",
        help_text="合同贷必选：合同仅对所选机构可见",
    )
    document = forms.FileField(
        label="采购合同或中标通知书",
        required=False,
        help_text="合同贷必传，PDF或图片，不超过10MB",
    )
    fund = forms.ModelChoiceField(
        label="应急转贷资金",
        queryset=GovernmentFund.objects.none(),
        required=False,
        empty_label="请选择",
        help_text="仅应急转贷需要",
    )
    loan_due_on = forms.DateField(
        label="原贷款到期日", required=False, widget=_DATE, help_text="仅应急转贷需要"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chosen_provider"].queryset = Provider.objects.approved().filter(  # type: ignore[attr-defined]
            kind__in=list(FINANCIAL_KINDS)
        )
        self.fields["fund"].queryset = GovernmentFund.objects.filter(  # type: ignore[attr-defined]
            is_active=True, kind=FundKind.BRIDGE, operator__isnull=False
        )


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GrantForm(StyledFormMixin, forms.Form):
    amount = _amount("放款金额（万元）")
    rate = _rate("年利率（%）")
    term_months = _term("期限（月）", required=False)
    note = forms.CharField(label="说明", max_length=1000, required=False)


class RefuseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="未获批原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写未获批的原因。"},
    )


class RateForm(StyledFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label="评价",
        coerce=int,
        choices=[
            (5, "5星 非常满意"),
            (4, "4星 满意"),
            (3, "3星 一般"),
            (2, "2星 不满意"),
            (1, "1星 很不满意"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择星级。"},
    )
    comment = forms.CharField(
        label="评价内容", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class StatisticsForm(StyledFormMixin, forms.Form):
    start = forms.DateField(label="开始日期", widget=_DATE, required=False)
    end = forms.DateField(label="结束日期", widget=_DATE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or data["end"].replace(month=1, day=1)
        if data["start"] > data["end"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        elif (data["end"] - data["start"]).days > 366 * 5:
            self.add_error("start", "统计区间不能超过5年。")
        return data


class ProductFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "全部类型"), *ProductKind.choices], required=False)
