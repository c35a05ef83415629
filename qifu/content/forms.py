from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from qifu.accounts.models import Department, DepartmentKind
from qifu.accounts.widgets import DepartmentChoiceField
from qifu.content.models import FinancingNeed, JobPosting, Notice, NoticeKind, PostingKind
from qifu.core.forms import StyledFormMixin
from qifu.publishing.forms import ReturnForm as PublicationReturnForm
from qifu.publishing.models import PublicationStatus


class NoticeForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Notice
        fields = ["kind", "title", "summary", "body", "publish_at", "expires_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
            "publish_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "title": {"required": "请填写标题。"},
            "body": {"required": "请填写正文。"},
        }

    def clean_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("expires_on")
        if value and "expires_on" in self.changed_data and value < timezone.localdate():
            raise forms.ValidationError("有效期不能早于今天。")
        return value


ReturnForm = PublicationReturnForm  # one return form for all published content


class NoticeFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *PublicationStatus.choices]
    )
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *NoticeKind.choices]
    )
    q = forms.CharField(label="关键词", required=False, max_length=50)
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("updated", "最近修改"),
            ("published", "最近发布"),
            ("title", "标题"),
            ("status", "状态"),
        ],
    )

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


# --- 信息发布 -----------------------------------------------------------------------------------

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _PostingFormMixin:
    cleaned_data: dict[str, Any]
    changed_data: list[str]

    def clean_expires_on(self) -> date:
        value: date | None = self.cleaned_data.get("expires_on")
        if value is None:
            raise forms.ValidationError("请填写有效期。")
        if "expires_on" in self.changed_data and value < timezone.localdate():
            raise forms.ValidationError("有效期不能早于今天。")
        return value

    def clean_contact_phone(self) -> str:
        value = str(self.cleaned_data.get("contact_phone", "")).strip()
        if not re.fullmatch(r"[0-9-]{7,20}", value):
            raise forms.ValidationError("请填写正确的联系电话（数字或短横线）。")
        return value


class JobPostingForm(_PostingFormMixin, StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = JobPosting
        fields = [
            "position",
            "headcount",
            "pay",
            "place",
            "requirements",
            "contact_name",
            "contact_phone",
            "expires_on",
        ]
        labels = {"expires_on": "有效期至"}
        widgets = {"requirements": forms.Textarea(attrs={"rows": 4}), "expires_on": _DATE}
        error_messages = {
            "position": {"required": "请填写招聘岗位。"},
            "headcount": {"required": "请填写招聘人数。", "min_value": "招聘人数至少为 1。"},
            "pay": {"required": "请填写薪酬待遇。"},
            "place": {"required": "请选择工作地点。"},
            "contact_name": {"required": "请填写联系人。"},
            "contact_phone": {"required": "请填写联系电话。"},
        }


class FinancingNeedForm(_PostingFormMixin, StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = FinancingNeed
        fields = [
            "amount",
            "term_months",
            "use",
            "guarantee",
            "contact_name",
            "contact_phone",
            "expires_on",
        ]
        labels = {"expires_on": "有效期至"}
        widgets = {"use": forms.Textarea(attrs={"rows": 3}), "expires_on": _DATE}
        error_messages = {
            "amount": {"required": "请填写融资金额。", "min_value": "融资金额须大于 0。"},
            "term_months": {"required": "请填写期限。", "min_value": "期限至少 1 个月。"},
            "use": {"required": "请填写资金用途。"},
            "contact_name": {"required": "请填写联系人。"},
            "contact_phone": {"required": "请填写联系电话。"},
        }


POSTING_FORMS: dict[str, type[forms.ModelForm]] = {  # type: ignore[type-arg]
    PostingKind.JOB: JobPostingForm,
    PostingKind.FINANCING: FinancingNeedForm,
}


class PostingFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *PostingKind.choices]
    )
    town = DepartmentChoiceField(
        label="镇街",
        required=False,
        empty_label="全部镇街",
        queryset=Department.objects.filter(kind=DepartmentKind.TOWN),
    )
    valid_on = forms.DateField(
        label="有效至少到", required=False, widget=_DATE, help_text="只看到这一天仍有效的信息"
    )

    def values(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "town_id": data["town"].pk if data.get("town") else None,
            "valid_on": data.get("valid_on"),
        }
