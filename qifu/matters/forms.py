"""Forms of the matter pages; rules live in the services, these only parse and show errors."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from qifu.core.forms import StyledFormMixin
from qifu.core.uploads import ATTACHMENT_KINDS, attachment_check
from qifu.matters.models import LifeStage
from qifu.matters.services import MAX_MATERIALS

ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"
MATERIALS_HELP = (
    f"最多{MAX_MATERIALS}个，每个不超过10MB；接受{'、'.join(ATTACHMENT_KINDS.values())}。"
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialsField(forms.FileField):
    """Several files in one input, each checked by its content."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", MATERIALS_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_MATERIALS:
            raise ValidationError(f"每次最多上传{MAX_MATERIALS}个文件。")
        errors: list[str] = []
        for upload in files:
            super().clean(upload, initial)
            try:
                attachment_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="搜索事项", max_length=50, required=False)
    stage = forms.ChoiceField(
        label="生命周期", choices=[("", "全部阶段"), *LifeStage.choices], required=False
    )


class ApplicationForm(StyledFormMixin, forms.Form):
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    description = forms.CharField(
        label="申请说明", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    materials = MaterialsField(label="申请材料")


class ResubmitForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="补正说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    materials = MaterialsField(label="补正材料")


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="办结意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
