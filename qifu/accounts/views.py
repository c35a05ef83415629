"""Sign-in, registration, password recovery, the second factor and the account page."""

from __future__ import annotations

import secrets
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from qifu.accounts import selectors, services
from qifu.accounts.forms import (
    LoginForm,
    OtpSetupForm,
    OtpVerifyForm,
    PasswordChangeForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    RegisterForm,
    SendCodeForm,
)
from qifu.accounts.middleware import SecondFactorRequiredMiddleware
from qifu.accounts.models import PhoneCodePurpose, User
from qifu.accounts.selectors import otp_enrolled, otp_required_for, second_factor_pending
from qifu.core.audit import audit_record
from qifu.core.forms import apply_errors as _apply_errors
from qifu.core.models import AuditOutcome
from qifu.core.pages import page_rule
from qifu.core.ratelimit import Limit, hit
from qifu.core.request_context import client_ip

REGISTER_DRAFT_KEY = "register_draft"
RESET_PHONE_KEY = "password_reset_phone"
OTP_SETUP_KEY = "otp_setup_key"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
RESET_SENT_MESSAGE = "如该手机号已绑定账号，验证码已发送，10分钟内有效。"
TOO_MANY_REGISTRATIONS = "注册尝试次数过多，请一小时后再试。"


def _registration_allowed(request: HttpRequest) -> bool:
    """Count a registration attempt for the client's address (REGISTER_LIMIT_PER_ADDRESS_HOUR);
    codes themselves are capped by the SMS limiter (phone, address, platform)."""
    address = client_ip(request) or "unknown"
    limit = Limit("register.address", address, settings.REGISTER_LIMIT_PER_ADDRESS_HOUR, 3600)
    return hit(limit) is None


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["timed_out"] = self.request.GET.get("reason") == "timeout"
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if second_factor_pending(self.request.user):
            # Straight on to the second factor: nothing else is reachable before it anyway.
            return f"{reverse('accounts:otp_verify')}?{urlencode({'next': url})}"
        return url


class LogoutView(auth_views.LogoutView):
    """Sign out; with `everywhere`, also end the user's other sessions and revoke their API
    tokens ("在所有设备上退出")."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and request.POST.get("everywhere"):
            services.user_sign_out_everywhere(
                user=request.user,  # type: ignore[arg-type]
                keep_session_key=request.session.session_key,
            )
        return super().post(request, *args, **kwargs)


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """What a locked-out account sees, on the page and in the API (AXES_LOCKOUT_CALLABLE)."""
    from qifu.accounts.lockout import ADDRESS_MESSAGE, address_blocked

    address = address_blocked(request)
    if request.path.startswith("/api/"):
        detail = (
            ADDRESS_MESSAGE
            if address
            else "连续登录失败次数过多，账号已锁定30分钟，请稍后再试或通过手机号找回密码。"
        )
        return JsonResponse({"detail": detail}, status=429)
    context = {"address": address, "reason": ADDRESS_MESSAGE}
    return render(request, "accounts/locked.html", context, status=429)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Enterprise self-registration: the enterprise and its administrator's account."""
    if request.user.is_authenticated:
        return redirect("portal:workbench")
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if not _registration_allowed(request):
            form.add_error(None, TOO_MANY_REGISTRATIONS)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = services.enterprise_register(
                    credit_code=data["credit_code"],
                    enterprise_name=data["enterprise_name"],
                    industry=data["industry"],
                    scale=data["scale"],
                    real_name=data["real_name"],
                    phone=data["phone"],
                    code=data["code"],
                    username=data["username"],
                    password=data["password1"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                request.session.pop(REGISTER_DRAFT_KEY, None)
                login(request, user, backend=MODEL_BACKEND)
                messages.success(request, "注册成功，您已成为本企业的管理员。")
                return redirect("portal:workbench")
    else:
        form = RegisterForm(initial=request.session.get(REGISTER_DRAFT_KEY, {}))
    return render(request, "accounts/register.html", {"form": form})


@require_POST
def send_code(request: HttpRequest) -> HttpResponse:
    """Send an SMS code: JSON for the script on the page, a redirect back without JavaScript."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = SendCodeForm(request.POST)
    purpose = request.POST.get("purpose", "")
    if purpose == PhoneCodePurpose.REGISTER:
        back = reverse("accounts:register")
        if not wants_json:
            # Without JavaScript the whole registration form arrives here: keep what was typed
            # (never the passwords) so nothing is lost on the way back.
            request.session[REGISTER_DRAFT_KEY] = {
                name: request.POST.get(name, "")[:200] for name in RegisterForm.DRAFT_FIELDS
            }
    else:
        back = reverse("accounts:password_reset_confirm")
    error = ""
    sent = ""
    if not form.is_valid():
        error = " ".join(str(m) for msgs in form.errors.values() for m in msgs)
    else:
        phone = form.cleaned_data["phone"]
        try:
            if form.cleaned_data["purpose"] == PhoneCodePurpose.REGISTER:
                services.phone_code_send(phone=phone, purpose=PhoneCodePurpose.REGISTER)
                sent = "验证码已发送，10分钟内有效。"
            else:
                services.password_reset_code_send(phone=phone)
                request.session[RESET_PHONE_KEY] = phone
                sent = RESET_SENT_MESSAGE
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if wants_json:
        return JsonResponse({"detail": error or sent}, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, sent)
    return HttpResponseRedirect(back)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Step 1 of recovery: the phone. The answer is the same whether it is registered or not."""
    if request.method == "POST":
        form = PasswordResetRequestForm(request.POST)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            try:
                services.password_reset_code_send(phone=phone)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                request.session[RESET_PHONE_KEY] = phone
                messages.success(request, RESET_SENT_MESSAGE)
                return redirect("accounts:password_reset_confirm")
    else:
        form = PasswordResetRequestForm()
    return render(request, "accounts/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2 of recovery: the SMS code and the new password."""
    if request.method == "POST":
        form = PasswordResetConfirmForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.user_reset_password(
                    phone=data["phone"], code=data["code"], password=data["new_password1"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                request.session.pop(RESET_PHONE_KEY, None)
                messages.success(request, "密码已重置，请使用新密码登录。")
                return redirect("accounts:login")
    else:
        form = PasswordResetConfirmForm(initial={"phone": request.session.get(RESET_PHONE_KEY)})
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        form = PasswordChangeForm(request.POST)
        if form.is_valid():
            try:
                services.user_change_password(
                    user=user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                # This session stays; every other one ends with the old password hash.
                update_session_auth_hash(request, user)
                messages.success(request, "密码已修改。其他设备上的登录已失效。")
                return redirect("accounts:profile")
    else:
        form = PasswordChangeForm()
    context = {"form": form, "password_max_age_days": settings.PASSWORD_MAX_AGE_DAYS}
    return render(request, "accounts/password_change.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "account": user,
        "otp_enabled": otp_enrolled(user),
        "otp_required": otp_required_for(user),
    }
    return render(request, "accounts/profile.html", context)


def _qr_svg(config_url: str) -> str:
    # segno writes presentation attributes only (no style, no script), so CSP allows it inline.
    svg: str = segno.make(config_url, error="m").svg_inline(scale=4, title="动态验证码二维码")
    return mark_safe(svg)  # noqa: S308  (built here from our own key, no user input)


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator app: scan the code (or type the key) and confirm one code."""
    user: User = request.user  # type: ignore[assignment]
    replacing = otp_enrolled(user)
    if replacing and not user.is_verified():  # type: ignore[attr-defined]
        # Replacing the factor needs the factor: send the user to verify with the current one.
        return redirect(f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.path})}")
    key = request.session.get(OTP_SETUP_KEY)
    if not key:
        key = secrets.token_hex(20)
        request.session[OTP_SETUP_KEY] = key
    form = OtpSetupForm(request.POST or None, require_password=replacing)
    if request.method == "POST" and form.is_valid():
        if replacing and not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", "登录密码不正确。")
        else:
            try:
                device = services.otp_device_confirm(
                    user=user, key=key, token=form.cleaned_data["token"]
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                request.session.pop(OTP_SETUP_KEY, None)
                request.session[SecondFactorRequiredMiddleware.SESSION_KEY] = True
                otp_login(request, device)
                messages.success(request, "动态验证码已启用，以后登录时需输入验证器中的6位数字。")
                return redirect(_safe_next(request, reverse("accounts:profile")))
    device = TOTPDevice(user=user, key=key)
    secret = b32encode(unhexlify(key)).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "replacing": replacing,
        "required": otp_required_for(user),
        "next": _safe_next(request, ""),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of sign-in: a code from the enrolled authenticator."""
    user: User = request.user  # type: ignore[assignment]
    target = _safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL))
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(target)
    if not otp_enrolled(user):
        request.session[SecondFactorRequiredMiddleware.SESSION_KEY] = False
        if otp_required_for(user):
            messages.info(request, "按照安全要求，工作人员须先启用动态验证码。")
            return redirect(f"{reverse('accounts:otp_setup')}?{urlencode({'next': target})}")
        return redirect(target)
    form = OtpVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # django-otp throttles failures per device and refuses a code already used (ASVS 6.5.1).
        device = match_token(user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            audit_record(action="auth.otp.verify", actor=user, summary="动态验证码验证通过")
            return redirect(target)
        audit_record(
            action="auth.otp.verify",
            actor=user,
            outcome=AuditOutcome.FAILURE,
            summary="动态验证码错误",
        )
        form.add_error("token", "动态验证码不正确或已使用，请等待下一个验证码。")
    return render(request, "accounts/otp_verify.html", {"form": form, "next": target})


@page_rule(
    selectors.can_view_unit_coverage, "仅平台管理人员和督查人员可查看联络员和管理员配备情况。"
)
@require_GET
def unit_coverage(request: HttpRequest) -> HttpResponse:
    """联络员和管理员配备 (article 11): who holds each post, and which units still lack theirs."""
    coverage = selectors.unit_coverage()
    rows = [
        {
            "unit": unit,
            "post": "联络员" if unit.kind == "agency" else "管理员",
            "holder": (coverage.liaisons if unit.kind == "agency" else coverage.administrators).get(
                unit.pk
            ),
        }
        for unit in coverage.units
    ]
    return render(request, "accounts/coverage.html", {"coverage": coverage, "rows": rows})
