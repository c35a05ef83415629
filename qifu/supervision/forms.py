"""The board's filters and the ladder steps' note."""

from __future__ import annotations

from typing import Any

from django import forms

from qifu.accounts.models import Department
from qifu.core.forms import StyledFormMixin
from qifu.supervision.selectors import KINDS, LEVELS


class BoardFilterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部"), *KINDS.items()])
    department = forms.ModelChoiceField(
        label="承办部门",
        required=False,
        queryset=Department.objects.filter(is_active=True).order_by("sort_order", "code"),
        empty_label="全部部门",
        error_messages={"invalid_choice": "请选择列表中的部门。"},
    )
    level = forms.TypedChoiceField(
        label="督办进度",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "全部"), *((str(k), v) for k, v in LEVELS.items())],
    )
    sort = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[
            ("", "默认"),
            ("due", "按期限"),
            ("supervised", "按督办时间"),
            ("department", "按承办部门"),
        ],
    )
    due = forms.BooleanField(label="只看应升级的", required=False)
    q = forms.CharField(
        label="编号或标题",
        required=False,
        max_length=100,
        strip=True,
        error_messages={"null_characters_not_allowed": "请不要输入无效字符。"},
    )

    def clean_q(self) -> str:
        value: str = self.cleaned_data.get("q") or ""
        return "".join(c for c in value if c.isprintable())

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "kind": d.get("kind") or "",
            "department": d.get("department"),
            "level": d.get("level"),
            "due": bool(d.get("due")),
            "q": d.get("q") or "",
            "sort": d.get("sort") or "",
        }


class StepForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="说明（选填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": "说明不能超过500字。",
            "null_characters_not_allowed": "说明中含有无效字符。",
        },
    )
    seen = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
