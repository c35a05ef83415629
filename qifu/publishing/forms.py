from __future__ import annotations

from django import forms

from qifu.core.forms import StyledFormMixin


class ReturnForm(StyledFormMixin, forms.Form):
    """The reviewer's reason for returning an item to its author."""

    reason = forms.CharField(
        label="退回原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写退回原因。"},
        help_text="作者将看到此原因并据此修改。",
    )
