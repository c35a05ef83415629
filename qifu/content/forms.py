from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from qifu.content.models import Notice, NoticeKind
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
