from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qifu.accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def lockout_response(
    request: HttpRequest, credentials: dict[str, Any], *args: Any, **kw: Any
) -> HttpResponse:
    """What a locked-out account sees, on the page and in the API (which wraps it as JSON)."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {"detail": "连续登录失败次数过多，账号已锁定30分钟，请稍后再试或通过手机号找回密码。"},
            status=429,
        )
    return render(request, "accounts/locked.html", status=429)
