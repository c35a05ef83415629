from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from qifu.core.audit import audit_record


class IdleTimeoutMiddleware:
    """Signs out a session idle for 30 minutes (15 for staff): MLPS 2.0 level 3, 身份鉴别 b."""

    KEY = "last_activity"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            limit = (
                settings.SESSION_IDLE_SECONDS_STAFF
                if user.requires_short_session  # type: ignore[union-attr]
                else settings.SESSION_IDLE_SECONDS
            )
            last = request.session.get(self.KEY)
            if last is not None and now - float(last) > limit:
                audit_record(action="auth.session.timeout", actor=user, summary="会话空闲超时")
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, "您已长时间未操作，为保护账号安全已自动退出，请重新登录。")
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            request.session[self.KEY] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """When OTP_REQUIRED_FOR_STAFF is on, staff must pass TOTP before any other page."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.OTP_REQUIRED_FOR_STAFF
            and user.is_authenticated
            and user.requires_short_session  # type: ignore[union-attr]
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        return self.get_response(request)
