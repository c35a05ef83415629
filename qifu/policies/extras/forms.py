from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from qifu.core.forms import StyledFormMixin
from qifu.policies.extras.services import image_check
from qifu.policies.models import Interpretation, Lecture, Policy, Topic

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BODY_HINT = (
    "纯文本空一行分段；也可使用 HTML 段落、加粗、列表、小标题、表格和链接，其他标签会被清除。"
)


class PolicyByCodeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A policy typed in by its code (政策编码), as printed on the library pages."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Policy.objects.all(),
            to_field_name="code",
            widget=forms.TextInput,
            error_messages={
                "required": "请填写政策编码。",
                "invalid_choice": "未找到该政策编码。",
            },
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return Policy.objects.filter(pk=value).values_list("code", flat=True).first()
        return super().prepare_value(value)


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    # Links typed without a scheme are read as https (Django 6's default, asked for explicitly).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class PublishableForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    """Shared parts of the staff forms: schedule fields, uploads only when a file was chosen."""

    UPLOADS: tuple[str, ...] = ()

    def clean_expires_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("expires_on")
        if value and "expires_on" in self.changed_data and value < timezone.localdate():
            raise forms.ValidationError("有效期不能早于今天。")
        return value

    def _clean_image(self, name: str) -> Any:
        upload = self.cleaned_data.get(name)
        if upload and hasattr(upload, "content_type"):
            try:
                image_check(upload, field=name)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict[name]) from error
        return upload

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments: every field, a file only when one was uploaded."""
        values = {name: self.cleaned_data[name] for name in self.fields if name not in self.UPLOADS}
        for name in self.UPLOADS:
            if name in self.files:
                values[name] = self.cleaned_data[name]
        return values


class InterpretationForm(PublishableForm):
    UPLOADS = ("image",)
    policy = PolicyByCodeField(label="政策编码", help_text="被解读政策的编码，见政策库详情页。")
    image = forms.FileField(
        label="图解图片",
        required=False,
        widget=forms.FileInput,
        help_text="JPG 或 PNG，不超过10MB。",
    )

    class Meta:
        model = Interpretation
        formfield_callback = _formfield
        fields = [
            "policy",
            "kind",
            "title",
            "summary",
            "body",
            "image",
            "video_url",
            "publish_at",
            "expires_on",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "publish_at": DATETIME,
            "expires_on": DATE,
        }
        help_texts = {"body": BODY_HINT, "video_url": "视频平台的播放页网址，以链接方式打开。"}
        error_messages = {"title": {"required": "请填写标题。"}}

    def clean_image(self) -> Any:
        return self._clean_image("image")


class TopicForm(PublishableForm):
    UPLOADS = ("cover",)
    cover = forms.FileField(
        label="封面图片", required=False, widget=forms.FileInput, help_text="可选，JPG 或 PNG。"
    )
    policy_codes = forms.CharField(
        label="专题政策",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="政策编码，每行一个，按显示顺序排列。",
        error_messages={"required": "请至少填写一个政策编码。"},
    )

    class Meta:
        model = Topic
        formfield_callback = _formfield
        fields = ["title", "summary", "policy_codes", "cover", "publish_at", "expires_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "publish_at": DATETIME,
            "expires_on": DATE,
        }
        error_messages = {"title": {"required": "请填写标题。"}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "policy_codes" not in self.initial:
            self.initial["policy_codes"] = "\n".join(self.instance.policy_codes)

    def clean_cover(self) -> Any:
        return self._clean_image("cover")

    def clean_policy_codes(self) -> list[str]:
        codes = [line.strip() for line in self.cleaned_data["policy_codes"].splitlines()]
        codes = [code for code in dict.fromkeys(codes) if code]
        missing = set(codes) - set(
            Policy.objects.filter(code__in=codes).values_list("code", flat=True)
        )
        if missing:
            raise forms.ValidationError(f"未找到政策编码：{'、'.join(sorted(missing))}。")
        return codes


class LectureForm(PublishableForm):
    policy = PolicyByCodeField(label="相关政策编码", required=False)

    class Meta:
        model = Lecture
        formfield_callback = _formfield
        fields = [
            "title",
            "speaker",
            "policy",
            "summary",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "replay_url",
            "publish_at",
            "expires_on",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "publish_at": DATETIME,
            "expires_on": DATE,
        }
        help_texts = {"replay_url": "讲堂结束后在页面上显示。"}
        error_messages = {
            "title": {"required": "请填写标题。"},
            "speaker": {"required": "请填写主讲人。"},
            "starts_at": {"required": "请填写开始时间。"},
            "ends_at": {"required": "请填写结束时间。"},
            "capacity": {"required": "请填写名额。"},
        }
