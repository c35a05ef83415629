"""Views of the exclusive space: the enterprise profile, its members and the join link."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from qifu.accounts.models import Enterprise, Role, User
from qifu.core.audit import audit_record
from qifu.core.forms import apply_errors as _apply_errors
from qifu.core.masking import mask_id_number, mask_name, mask_phone
from qifu.workspace.forms.members import CodeForm, InviteForm, JoinForm, ProfileForm, percent_text
from qifu.workspace.selectors import members as selectors
from qifu.workspace.services import members as services
from qifu.workspace.services import profile as profile_services

PENDING_KEY = "workspace_profile_pending"
PENDING_TTL = timedelta(minutes=30)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
_MASK = {
    "legal_representative": mask_name,
    "legal_representative_id_number": mask_id_number,
    "contact_phone": mask_phone,
}


def _admin_enterprise(request: HttpRequest) -> Enterprise:
    """The user's enterprise, for an action only its administrator may take (403 otherwise)."""
    enterprise = selectors.own_enterprise_or_404(request.user)
    if not request.user.is_enterprise_admin:  # type: ignore[union-attr]
        raise PermissionDenied("只有企业管理员可以执行此操作。")
    return enterprise


def _commissioner_url() -> str:
    try:
        return reverse("workspace:commissioner")
    except NoReverseMatch:
        return ""


# --- Profile ---------------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Every user of the enterprise sees its profile, with the ID number and phone masked."""
    enterprise = selectors.own_enterprise_or_404(request.user)
    context = {
        "enterprise": enterprise,
        "is_admin": request.user.is_enterprise_admin,  # type: ignore[union-attr]
        "commissioner_url": _commissioner_url(),
        "members_count": selectors.members_count(enterprise),
        "rd_percent": percent_text(enterprise.rd_ratio),
    }
    return render(request, "workspace/profile.html", context)


def _pending(request: HttpRequest, enterprise: Enterprise) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("enterprise") != enterprise.pk:
        return None
    if pending.get("user") != request.user.pk:
        return None
    started = datetime.fromisoformat(pending["at"])
    if timezone.now() - started > PENDING_TTL:
        request.session.pop(PENDING_KEY, None)
        return None
    return pending


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    """The administrator edits the profile; key fields go on to SMS verification."""
    enterprise = _admin_enterprise(request)
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=enterprise)
        if form.is_valid():
            try:
                pending = profile_services.enterprise_profile_update(
                    enterprise=enterprise, actor=user, changes=form.changes()
                )
            except ValidationError as exc:
                _apply_errors(form, exc, {"rd_ratio": "rd_percent"})
            else:
                if not pending:
                    messages.success(request, "企业信息已保存。")
                    return redirect("workspace:profile")
                return _start_verification(request, enterprise, user, pending)
    else:
        form = ProfileForm(instance=enterprise)
        # The form shows the full ID number and phone: opening it is a deliberate, audited look.
        audit_record(
            action="workspace.profile.view_sensitive",
            actor=user,
            target=enterprise,
            summary="查看企业信息编辑页（含完整身份证号、电话）",
        )
    context = {"form": form, "enterprise": enterprise, "commissioner_url": _commissioner_url()}
    return render(request, "workspace/profile_edit.html", context)


def _start_verification(
    request: HttpRequest, enterprise: Enterprise, user: User, pending: dict[str, Any]
) -> HttpResponse:
    if not user.phone:
        messages.error(
            request,
            "其他信息已保存；法定代表人、身份证号、联系电话未修改："
            "您的账号未绑定手机号，无法接收验证码，请联系平台工作人员绑定。",
        )
        return redirect("workspace:profile")
    request.session[PENDING_KEY] = {
        "enterprise": enterprise.pk,
        "user": user.pk,
        "changes": pending,
        "at": timezone.now().isoformat(),
    }
    try:
        masked = profile_services.profile_verification_send(enterprise=enterprise, actor=user)
    except ValidationError as exc:
        messages.warning(
            request,
            f"其他信息已保存。{' '.join(exc.messages)}"
            "如已收到之前的验证码（10分钟内有效），可直接输入。",
        )
    else:
        messages.info(request, f"其他信息已保存。关键信息的修改需验证：验证码已发送至{masked}。")
    return redirect("workspace:profile_verify")


@login_required
@require_http_methods(["GET", "POST"])
def profile_verify(request: HttpRequest) -> HttpResponse:
    """The second step of changing key fields: the SMS code sent to the administrator."""
    enterprise = _admin_enterprise(request)
    user: User = request.user  # type: ignore[assignment]
    pending = _pending(request, enterprise)
    if pending is None:
        messages.info(request, "没有待验证的修改，或已超过30分钟，请重新填写。")
        return redirect("workspace:profile_edit")
    form = CodeForm(request.POST or None)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "cancel":
        request.session.pop(PENDING_KEY, None)
        messages.info(request, "已放弃修改关键信息。")
        return redirect("workspace:profile")
    if request.method == "POST" and action == "resend":
        try:
            masked = profile_services.profile_verification_send(enterprise=enterprise, actor=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"验证码已发送至{masked}，10分钟内有效。")
        return redirect("workspace:profile_verify")
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.enterprise_key_fields_update(
                enterprise=enterprise,
                actor=user,
                changes=pending["changes"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            request.session.pop(PENDING_KEY, None)
            messages.success(request, "关键信息已修改。")
            return redirect("workspace:profile")
    changes = [
        (
            profile_services.field_label(name),
            _MASK[name](getattr(enterprise, name)),
            _MASK[name](value),
        )
        for name, value in pending["changes"].items()
    ]
    context = {
        "form": form,
        "enterprise": enterprise,
        "changes": changes,
        "phone": user.masked_phone,
    }
    return render(request, "workspace/profile_verify.html", context)


# --- Members ---------------------------------------------------------------------------------


def _members_page(
    request: HttpRequest, enterprise: Enterprise, invite_form: InviteForm | None = None
) -> HttpResponse:
    is_admin = request.user.is_enterprise_admin  # type: ignore[union-attr]
    invitations = list(selectors.invitations_pending(enterprise))
    now = timezone.now()
    context = {
        "enterprise": enterprise,
        "members": list(selectors.members_of(enterprise)),
        "invitations": [(i, i.expires_at <= now, mask_phone(i.phone)) for i in invitations],
        "is_admin": is_admin,
        "invite_form": invite_form or (InviteForm() if is_admin else None),
        "role_choices": [
            (Role.ENTERPRISE_MEMBER.value, "企业用户"),
            (Role.ENTERPRISE_ADMIN.value, "企业管理员"),
        ],
    }
    return render(request, "workspace/members.html", context)


@login_required
def members(request: HttpRequest) -> HttpResponse:
    """The enterprise's accounts and pending invitations; actions for its administrator."""
    return _members_page(request, selectors.own_enterprise_or_404(request.user))


@login_required
@require_POST
def member_invite(request: HttpRequest) -> HttpResponse:
    enterprise = _admin_enterprise(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.member_invite(
                enterprise=enterprise,
                actor=request.user,  # type: ignore[arg-type]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                f"已向{mask_phone(invitation.phone)}发送邀请短信，7天内有效。",
            )
            return redirect("workspace:members")
    return _members_page(request, enterprise, form)


def _act(request: HttpRequest, done: str, fn: Any, **kwargs: Any) -> HttpResponse:
    try:
        fn(**kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("workspace:members")


@login_required
@require_POST
def member_role(request: HttpRequest, member_id: int) -> HttpResponse:
    enterprise = _admin_enterprise(request)
    member = selectors.member_get_or_404(enterprise, member_id)
    role = request.POST.get("role", "")
    label = dict(Role.choices).get(role, "")
    return _act(
        request,
        f"已将{member}的角色设为{label}。",
        services.member_role_set,
        enterprise=enterprise,
        actor=request.user,
        member=member,
        role=role,
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    enterprise = _admin_enterprise(request)
    member = selectors.member_get_or_404(enterprise, member_id)
    return _act(
        request,
        f"已移除{member}，其账号已停用。",
        services.member_remove,
        enterprise=enterprise,
        actor=request.user,
        member=member,
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    enterprise = _admin_enterprise(request)
    invitation = selectors.invitation_get_or_404(enterprise, invitation_id)
    return _act(
        request,
        f"已重新向{mask_phone(invitation.phone)}发送邀请短信，原链接已失效。",
        services.invitation_resend,
        enterprise=enterprise,
        actor=request.user,
        invitation=invitation,
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    enterprise = _admin_enterprise(request)
    invitation = selectors.invitation_get_or_404(enterprise, invitation_id)
    return _act(
        request,
        f"已撤销对{invitation.real_name}的邀请。",
        services.invitation_revoke,
        enterprise=enterprise,
        actor=request.user,
        invitation=invitation,
    )


# --- Joining by invitation -------------------------------------------------------------------


def _invalid_join(request: HttpRequest, problem: str, found: bool) -> HttpResponse:
    return render(
        request, "workspace/join_invalid.html", {"problem": problem}, status=410 if found else 404
    )


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee proves the phone with an SMS code and chooses a username and password."""
    try:
        invitation = services.invitation_check(token)
    except ValidationError as exc:
        found = services.invitation_by_token(token) is not None
        return _invalid_join(request, " ".join(exc.messages), found)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                raw_token=token,
                code=data["code"],
                username=data["username"],
                password=data["password1"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, f"欢迎加入{invitation.enterprise.name}！")
            return redirect("workspace:home")
    context = {
        "invitation": invitation,
        "form": form,
        "token": token,
        "phone": mask_phone(invitation.phone),
    }
    return render(request, "workspace/join.html", context)


@require_POST
def join_code(request: HttpRequest, token: str) -> HttpResponse:
    """Send the SMS code to the invited phone (only that phone, at most once a minute)."""
    try:
        masked = services.invitation_code_send(raw_token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"验证码已发送至{masked}，10分钟内有效。")
    return redirect("workspace:join", token=token)


urlpatterns: list[URLPattern] = [
    path("profile/", profile, name="profile"),
    path("profile/edit/", profile_edit, name="profile_edit"),
    path("profile/verify/", profile_verify, name="profile_verify"),
    path("members/", members, name="members"),
    path("members/invite/", member_invite, name="member_invite"),
    path("members/<int:member_id>/role/", member_role, name="member_role"),
    path("members/<int:member_id>/remove/", member_remove, name="member_remove"),
    path(
        "members/invitations/<int:invitation_id>/resend/",
        invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<int:invitation_id>/revoke/",
        invitation_revoke,
        name="invitation_revoke",
    ),
    path("join/<str:token>/", join, name="join"),
    path("join/<str:token>/code/", join_code, name="join_code"),
]
