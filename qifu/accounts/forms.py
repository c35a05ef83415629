from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from qifu.core.forms import StyledFormMixin


class LoginForm(StyledFormMixin, AuthenticationForm):
    username = forms.CharField(
        label="账号", max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="密码", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "账号或密码不正确。连续失败5次，账号将被锁定30分钟。",
        "inactive": "该账号已停用，请联系平台管理员。",
    }
