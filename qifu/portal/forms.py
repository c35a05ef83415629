from __future__ import annotations

from django import forms

from qifu.accounts.validators import validate_mobile
from qifu.core.forms import StyledFormMixin


class SiteSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label="搜索", max_length=50, required=False)


class ProgressForm(StyledFormMixin, forms.Form):
    number = forms.CharField(
        label="办件编号",
        max_length=40,
        help_text="诉求、办事事项、项目申报或留言的编号，提交后在回执和短信中可以找到",
        error_messages={"required": "请填写办件编号。"},
    )
    phone = forms.CharField(
        label="手机号",
        max_length=11,
        required=False,
        help_text="提交时填写的联系电话；登录后查询本企业的办件无需验证",
    )
    code = forms.CharField(label="短信验证码", max_length=6, required=False)

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip()
        if phone:
            validate_mobile(phone)
        return phone
