from __future__ import annotations

from django import forms

from qifu.connectors.models import Connector
from qifu.core.forms import StyledFormMixin


class ConnectorCreateForm(StyledFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    entry_url = forms.URLField(
        label="统一入口地址",
        max_length=500,
        assume_scheme="https",
        help_text="必须是 https 地址；平台带 token 参数跳转至此。",
    )

    class Meta:
        model = Connector
        fields = ["code", "name", "entry_url"]
        help_texts = {"code": "小写字母开头，如 yichuangtong；用于入口和回调地址。"}
