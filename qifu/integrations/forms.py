from __future__ import annotations

from django import forms

from qifu.core.forms import StyledFormMixin


class ApiKeyIssueForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label="对接系统名称",
        max_length=100,
        error_messages={"required": "请填写对接系统名称。", "max_length": "名称不能超过100个字。"},
        help_text="例如：12345政务服务热线。密钥签发后只显示一次。",
    )
