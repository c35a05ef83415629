"""Forms of provider registration, review and members (errors in Chinese next to the field)."""

from __future__ import annotations

from django import forms

from qifu.accounts.validators import normalize_credit_code, validate_credit_code, validate_mobile
from qifu.core.forms import StyledFormMixin
from qifu.core.uploads import attachment_check
from qifu.providers.models import ProviderKind


class ProviderRegisterForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="机构名称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=18, min_length=18, help_text="18位，见营业执照"
    )
    kind = forms.ChoiceField(label="机构类型", choices=[("", "请选择"), *ProviderKind.choices])
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20)
    address = forms.CharField(label="地址", max_length=200, required=False)
    description = forms.CharField(
        label="机构简介", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    qualification = forms.FileField(
        label="资质证明",
        help_text="营业执照、金融许可证、律师事务所执业许可证等，PDF或图片，不超过10MB",
    )
    real_name = forms.CharField(label="管理员姓名", max_length=50)
    phone = forms.CharField(label="管理员手机号", max_length=11)
    code = forms.CharField(
        label="短信验证码", max_length=6, required=False, help_text="先点“获取验证码”，10分钟内有效"
    )
    username = forms.CharField(label="登录用户名", max_length=150)
    password = forms.CharField(label="登录密码", widget=forms.PasswordInput, strip=False)

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        validate_mobile(phone)
        return phone

    def clean_qualification(self) -> object:
        upload = self.cleaned_data["qualification"]
        attachment_check(upload)
        return upload


class ReviewForm(StyledFormMixin, forms.Form):
    note = forms.CharField(
        label="审核意见", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResubmitForm(StyledFormMixin, forms.Form):
    qualification = forms.FileField(label="补充资质证明", required=False)

    def clean_qualification(self) -> object:
        upload = self.cleaned_data.get("qualification")
        if upload:
            attachment_check(upload)
        return upload


class MemberForm(StyledFormMixin, forms.Form):
    real_name = forms.CharField(label="姓名", max_length=50)
    title = forms.CharField(label="岗位", max_length=50, required=False)
    phone = forms.CharField(label="手机号", max_length=11, required=False)
    username = forms.CharField(label="登录用户名", max_length=150)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, strip=False, help_text="请告知成员登录后修改"
    )
    is_admin = forms.BooleanField(label="设为机构管理员", required=False)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone:
            validate_mobile(phone)
        return phone


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "全部"), *ProviderKind.choices], required=False)
