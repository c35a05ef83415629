from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from qifu.accounts.selectors import otp_enrolled, otp_required_for
from qifu.core.audit import audit_record


class IdleTimeoutMiddleware:
    """Signs out a session idle for 30 minutes (15 for staff): MLPS 2.0 level 3, 身份鉴别 b.

    A session also ends SESSION_ABSOLUTE_SECONDS (8 hours) after it began, busy or not (ASVS 7.3.2).
    """

    KEY = "last_activity"
    STARTED = "session_started"
    # The session is rewritten (a database write) at most once a minute, not on every request:
    # a session may end up to a minute early, never late.
    RESOLUTION_SECONDS = 60

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
            started = request.session.setdefault(self.STARTED, now)
            idle = last is not None and now - float(last) > limit
            expired = now - float(started) > settings.SESSION_ABSOLUTE_SECONDS
            if idle or expired:
                audit_record(
                    action="auth.session.timeout",
                    actor=user,
                    summary="会话空闲超时" if idle else "会话超过最长时限",
                )
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                # This runs before MessageMiddleware: the login page reads the reason instead.
                query = urlencode({"next": request.path, "reason": "timeout"})
                return redirect(f"{reverse('accounts:login')}?{query}")
            if last is None or now - float(last) >= self.RESOLUTION_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Until the second factor is passed, a signed-in user reaches only the OTP pages.

    It applies to staff when OTP_REQUIRED_FOR_STAFF is on (production) and to anyone who has set
    up an authenticator (MLPS 2.0 level 3, 身份鉴别 d; ASVS 6.3.2).
    """

    SESSION_KEY = "otp_enrolled"
    OPEN_PREFIXES = ("/static/", "/healthz", "/api/v1/auth/token")
    OPEN_URL_NAMES = ("accounts:otp_verify", "accounts:otp_setup", "accounts:logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _pending(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[union-attr,attr-defined]
            return False
        if otp_required_for(user):
            return True
        # One device lookup per session instead of one per request.
        enrolled = request.session.get(self.SESSION_KEY)
        if enrolled is None:
            enrolled = otp_enrolled(user)
            request.session[self.SESSION_KEY] = enrolled
        return bool(enrolled)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith(self.OPEN_PREFIXES) or not self._pending(request):
            return self.get_response(request)
        if path in {reverse(name) for name in self.OPEN_URL_NAMES}:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse({"detail": "请先完成动态验证码验证。"}, status=403)
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': path})}")


class PasswordExpiryMiddleware:
    """A password older than PASSWORD_MAX_AGE_DAYS must be changed before anything else.

    MLPS 2.0 level 3, 身份鉴别 a (定期更换); the ASVS 6.2.10 deviation is in docs/security.md.
    """

    OPEN_URL_NAMES = ("accounts:password_change", "accounts:logout", "accounts:otp_verify")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        days = settings.PASSWORD_MAX_AGE_DAYS
        user = request.user
        changed = getattr(user, "password_changed_at", None)
        if not days or not user.is_authenticated or changed is None:
            return self.get_response(request)
        if timezone.now() - changed <= timedelta(days=days):
            return self.get_response(request)
        path = request.path
        if path.startswith("/static/") or path in {reverse(n) for n in self.OPEN_URL_NAMES}:
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": "密码已过期，请先修改密码。", "code": "password_expired"}, status=403
            )
        query = urlencode({"next": path, "reason": "expired"})
        return redirect(f"{reverse('accounts:password_change')}?{query}")
