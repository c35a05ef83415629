"""Forms of sign-in, registration, password recovery and the second factor."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from qifu.accounts.models import PhoneCodePurpose, Scale
from qifu.accounts.validators import normalize_credit_code, validate_credit_code, validate_mobile
from qifu.core.forms import StyledFormMixin

# GB/T 4754-2017 sections (门类): a registering enterprise picks its section; staff refine the
# code to the class level later in data maintenance.
INDUSTRY_SECTIONS = [
    ("A", "A 农、林、牧、渔业"),
    ("B", "B 采矿业"),
    ("C", "C 制造业"),
    ("D", "D 电力、热力、燃气及水生产和供应业"),
    ("E", "E 建筑业"),
    ("F", "F 批发和零售业"),
    ("G", "G 交通运输、仓储和邮政业"),
    ("H", "H 住宿和餐饮业"),
    ("I", "I 信息传输、软件和信息技术服务业"),
    ("J", "J 金融业"),
    ("K", "K 房地产业"),
    ("L", "L 租赁和商务服务业"),
    ("M", "M 科学研究和技术服务业"),
    ("N", "N 水利、环境和公共设施管理业"),
    ("O", "O 居民服务、修理和其他服务业"),
    ("P", "P 教育"),
    ("Q", "Q 卫生和社会工作"),
    ("R", "R 文化、体育和娱乐业"),
    ("S", "S 公共管理、社会保障和社会组织"),
    ("T", "T 国际组织"),
]

RULES_HINT = "至少8位，包含大写字母、小写字母、数字、特殊符号中的三类，不能包含用户名或手机号。"


def _password_field(label: str, autocomplete: str = "new-password") -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label="手机号",
        max_length=11,
        validators=[validate_mobile],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )


def _code_field() -> forms.CharField:
    return forms.CharField(
        label="短信验证码",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label="账号",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "账号或密码不正确。连续失败5次，账号将被锁定30分钟。",
        "inactive": "该账号已停用，请联系平台管理员。",
    }


class SendCodeForm(StyledFormMixin, forms.Form):
    phone = _phone_field()
    purpose = forms.ChoiceField(
        choices=[
            (PhoneCodePurpose.REGISTER.value, PhoneCodePurpose.REGISTER.label),
            (PhoneCodePurpose.RESET_PASSWORD.value, PhoneCodePurpose.RESET_PASSWORD.label),
        ]
    )


class _PasswordPairMixin:
    """Two password fields that must match; the rules themselves are checked by the service."""

    first = "password1"
    second = "password2"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        one, two = cleaned.get(self.first), cleaned.get(self.second)
        if one and two and one != two:
            self.add_error(self.second, "两次输入的密码不一致。")  # type: ignore[attr-defined]
        return cleaned


class RegisterForm(_PasswordPairMixin, StyledFormMixin, forms.Form):
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        min_length=18,
        help_text="18位，见营业执照。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    enterprise_name = forms.CharField(label="企业名称", max_length=200)
    industry = forms.ChoiceField(
        label="所属行业（门类）", choices=[("", "请选择"), *INDUSTRY_SECTIONS]
    )
    scale = forms.ChoiceField(label="企业规模", choices=[("", "请选择"), *Scale.choices])
    real_name = forms.CharField(
        label="联系人姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = _phone_field()
    code = _code_field()
    username = forms.RegexField(
        label="用户名",
        max_length=30,
        min_length=3,
        regex=r"^[A-Za-z][A-Za-z0-9_.-]*$",
        error_messages={"invalid": "用户名以字母开头，只能包含字母、数字和 _ . -。"},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = _password_field("密码")
    password2 = _password_field("确认密码")

    # Fields kept in the session while the user fetches an SMS code without JavaScript.
    DRAFT_FIELDS = ("credit_code", "enterprise_name", "industry", "scale", "real_name", "phone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = RULES_HINT

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code


class PasswordResetRequestForm(StyledFormMixin, forms.Form):
    phone = _phone_field()


class PasswordResetConfirmForm(_PasswordPairMixin, StyledFormMixin, forms.Form):
    first = "new_password1"
    second = "new_password2"

    phone = _phone_field()
    code = _code_field()
    new_password1 = _password_field("新密码")
    new_password2 = _password_field("确认新密码")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = RULES_HINT


class PasswordChangeForm(_PasswordPairMixin, StyledFormMixin, forms.Form):
    first = "new_password1"
    second = "new_password2"

    old_password = _password_field("原密码", autocomplete="current-password")
    new_password1 = _password_field("新密码")
    new_password2 = _password_field("确认新密码")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = RULES_HINT


class OtpSetupForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label="动态验证码",
        max_length=6,
        help_text="输入身份验证器App中显示的6位数字。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    password = _password_field("当前登录密码", autocomplete="current-password")

    def __init__(self, *args: Any, require_password: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not require_password:
            # Re-authentication is asked only to replace an existing authenticator (ASVS 7.5.1).
            del self.fields["password"]


class OtpVerifyForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label="动态验证码",
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
