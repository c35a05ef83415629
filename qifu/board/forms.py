from __future__ import annotations

from typing import Any

from django import forms

from qifu.accounts.models import Enterprise
from qifu.accounts.validators import normalize_credit_code, validate_credit_code, validate_mobile
from qifu.appeals.models import AppealCategory
from qifu.board.models import MessageStatus
from qifu.core.forms import StyledFormMixin


def _categories() -> Any:
    return AppealCategory.objects.filter(is_active=True).order_by("sort_order", "code")


class MessageForm(StyledFormMixin, forms.Form):
    """An enterprise user's message; a visitor's form adds who they are and a phone code."""

    category = forms.ModelChoiceField(
        label="类别", queryset=AppealCategory.objects.none(), required=False, empty_label="不确定"
    )
    title = forms.CharField(
        label="标题", max_length=100, error_messages={"required": "请填写标题。"}
    )
    content = forms.CharField(
        label="留言内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写留言内容。", "max_length": "留言不能超过2000字。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()  # type: ignore[attr-defined]


class VisitorMessageForm(MessageForm):
    visitor_name = forms.CharField(
        label="姓名", max_length=50, error_messages={"required": "请填写姓名。"}
    )
    company_name = forms.CharField(
        label="企业名称", max_length=200, error_messages={"required": "请填写企业名称。"}
    )
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False, help_text="选填，便于转办"
    )
    phone = forms.CharField(
        label="手机号",
        max_length=11,
        validators=[validate_mobile],
        error_messages={"required": "请填写手机号。"},
    )
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        required=False,
        help_text="先点击“获取验证码”，验证码10分钟内有效",
    )

    field_order = [
        "visitor_name",
        "company_name",
        "credit_code",
        "phone",
        "code",
        "category",
        "title",
        "content",
    ]

    def __init__(self, *args: Any, sending_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if sending_code:
            # "获取验证码" checks only the phone; the rest is checked when the message is sent.
            for name, field in self.fields.items():
                if name != "phone":
                    field.required = False

    def clean_credit_code(self) -> str:
        value = normalize_credit_code(self.cleaned_data.get("credit_code", ""))
        if value:
            validate_credit_code(value)
        return value


class PhoneForm(StyledFormMixin, forms.Form):
    phone = forms.CharField(
        label="手机号",
        max_length=11,
        validators=[validate_mobile],
        error_messages={"required": "请填写手机号。"},
    )


class LookupForm(PhoneForm):
    number = forms.CharField(
        label="留言编号", max_length=20, error_messages={"required": "请填写留言编号。"}
    )
    code = forms.CharField(label="短信验证码", max_length=6, required=False)

    field_order = ["number", "phone", "code"]


class AnswerForm(StyledFormMixin, forms.Form):
    answer = forms.CharField(
        label="答复内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写答复内容。"},
    )


class ConvertForm(StyledFormMixin, forms.Form):
    """办件表单: what the appeal needs beyond the message."""

    category = forms.ModelChoiceField(
        label="诉求类别",
        queryset=AppealCategory.objects.none(),
        error_messages={"required": "请选择诉求类别。"},
    )
    enterprise = forms.CharField(
        label="诉求企业（统一社会信用代码）",
        max_length=18,
        error_messages={"required": "请填写诉求企业的统一社会信用代码。"},
    )
    title = forms.CharField(
        label="标题", max_length=100, error_messages={"required": "请填写标题。"}
    )
    content = forms.CharField(
        label="诉求内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写诉求内容。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()  # type: ignore[attr-defined]

    def clean_enterprise(self) -> Enterprise:
        code = normalize_credit_code(self.cleaned_data.get("enterprise", ""))
        validate_credit_code(code)
        enterprise = Enterprise.objects.filter(credit_code=code, is_active=True).first()
        if enterprise is None:
            raise forms.ValidationError("平台中没有该统一社会信用代码的企业，请先登记企业。")
        return enterprise


class StatusFilterForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *MessageStatus.choices]
    )
