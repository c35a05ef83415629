"""Writes of the enterprise profile and its members: invitations by SMS, roles and removal.

The enterprise administrator (企业管理员) manages both. Key profile fields (the legal
representative, their ID number, the contact phone) change only with an SMS code sent to the
administrator's own phone; every change is audited, with personal data masked.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Enterprise, PhoneCodePurpose, Role, User
from qifu.accounts.services import (
    phone_code_send,
    phone_code_verify,
    role_grant,
    role_revoke,
    user_create,
    user_update,
)
from qifu.accounts.validators import validate_mobile
from qifu.core.audit import audit_record
from qifu.core.masking import mask_phone
from qifu.notifications.services import sms_send_now
from qifu.workspace.models import MemberInvitation

logger = logging.getLogger(__name__)

INVITATION_TTL = timedelta(days=7)
INVITATION_RESEND_AFTER = timedelta(seconds=60)
MEMBER_ROLES = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)


# --- Guards ----------------------------------------------------------------------------------


def check_enterprise_admin(actor: Any, enterprise: Enterprise) -> None:
    """Only the enterprise's own administrator manages its profile and members."""
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.enterprise_id == enterprise.pk
        and actor.is_enterprise_admin
    ):
        raise PermissionDenied("只有本企业的企业管理员可以执行此操作。")


def _is_active_admin(user: User) -> bool:
    return user.is_active and Role.ENTERPRISE_ADMIN in user.role_set


def _other_active_admins(enterprise: Enterprise, user: User) -> bool:
    return (
        User.objects.filter(
            enterprise=enterprise, is_active=True, role_grants__role=Role.ENTERPRISE_ADMIN
        )
        .exclude(pk=user.pk)
        .exists()
    )


# --- Invitations -----------------------------------------------------------------------------


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def invitation_join_url(raw_token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("workspace:join", args=[raw_token])


def _send_invitation_sms(invitation: MemberInvitation, raw_token: str, inviter: User) -> None:
    text = (
        f"【{settings.PLATFORM_NAME}】{inviter}邀请您以{invitation.get_role_display()}身份加入"
        f"“{invitation.enterprise.name}”，请在7天内打开 {invitation_join_url(raw_token)} "
        "完成注册。如非本人请忽略。"
    )
    phone = invitation.phone

    def send() -> None:
        try:
            sms_send_now(phone=phone, text=text)
        except Exception:  # the invitation stands; the administrator can resend it
            logger.exception("invitation SMS to %s failed", mask_phone(phone))

    # Sent only once the invitation is committed; the link is in no stored row (only its hash),
    # so it cannot wait in the outbox like other messages.
    transaction.on_commit(send)


def member_invite(
    *, enterprise: Enterprise, actor: User, real_name: str, phone: str, role: str
) -> MemberInvitation:
    """Invite a person by phone to join the enterprise: an SMS with a link valid for 7 days."""
    check_enterprise_admin(actor, enterprise)
    return _invite(enterprise=enterprise, actor=actor, real_name=real_name, phone=phone, role=role)


def first_admin_invite(
    *, enterprise: Enterprise, actor: User, real_name: str, phone: str
) -> MemberInvitation:
    """Invite the first administrator of an enterprise that has no user yet (an investment
    project registering its new enterprise): government staff send it, once; from then on the
    enterprise's own administrator manages its members."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_government):
        raise PermissionDenied("只有政府工作人员可以为新入驻企业邀请首位企业管理员。")
    if User.objects.filter(enterprise=enterprise).exists():
        raise ValidationError("该企业已有账号，请由企业管理员邀请成员。")
    return _invite(
        enterprise=enterprise,
        actor=actor,
        real_name=real_name,
        phone=phone,
        role=Role.ENTERPRISE_ADMIN,
    )


def _invite(
    *, enterprise: Enterprise, actor: User, real_name: str, phone: str, role: str
) -> MemberInvitation:
    real_name = (real_name or "").strip()
    phone = (phone or "").strip()
    errors: dict[str, list[str]] = {}
    if not real_name:
        errors["real_name"] = ["请填写姓名。"]
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if role not in MEMBER_ROLES:
        errors["role"] = ["请选择企业管理员或企业用户。"]
    if "phone" not in errors:
        holder = User.objects.filter(phone=phone).first()
        if holder is not None and holder.enterprise_id == enterprise.pk and not holder.is_active:
            errors["phone"] = ["该手机号属于本企业已移除（停用）的账号，请联系平台工作人员恢复。"]
        elif holder is not None and holder.enterprise_id == enterprise.pk:
            errors["phone"] = ["该手机号已是本企业的成员账号。"]
        elif holder is not None:
            errors["phone"] = ["该手机号已绑定平台上的其他账号，不能再受邀注册；请换一个手机号。"]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        # An expired, never-used invitation gives way to the new one (one open per phone).
        MemberInvitation.objects.filter(
            enterprise=enterprise,
            phone=phone,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__lte=now,
        ).update(revoked_at=now, updated_at=now)
        try:
            with transaction.atomic():
                invitation = MemberInvitation.objects.create(
                    enterprise=enterprise,
                    phone=phone,
                    real_name=real_name,
                    role=role,
                    invited_by=actor,
                    token_hash=_token_hash(raw),
                    expires_at=now + INVITATION_TTL,
                )
        except IntegrityError as exc:
            # A pending one exists (or a double submit made it a moment ago): still one row.
            raise ValidationError(
                {"phone": "已向该手机号发出邀请且尚未过期；如对方未收到，可在列表中重新发送。"}
            ) from exc
        audit_record(
            action="workspace.member.invite",
            actor=actor,
            target=invitation,
            summary=f"邀请{real_name}加入企业（{Role(role).label}）",
            data={"phone": mask_phone(phone), "role": role},
        )
        _send_invitation_sms(invitation, raw, actor)
    return invitation


def _pending_invitation(enterprise: Enterprise, invitation: MemberInvitation) -> MemberInvitation:
    locked = (
        MemberInvitation.objects.select_for_update()
        .select_related("enterprise")
        .filter(pk=invitation.pk, enterprise=enterprise)
        .first()
    )
    if locked is None:
        raise PermissionDenied("该邀请不属于本企业。")
    if locked.accepted_at is not None:
        raise ValidationError("该邀请已被接受。")
    if locked.revoked_at is not None:
        raise ValidationError("该邀请已撤销。")
    return locked


def invitation_resend(
    *, enterprise: Enterprise, actor: User, invitation: MemberInvitation
) -> MemberInvitation:
    """Send the invitation again with a new link (the old one stops working), valid 7 more days."""
    check_enterprise_admin(actor, enterprise)
    now = timezone.now()
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        locked = _pending_invitation(enterprise, invitation)
        if locked.updated_at > now - INVITATION_RESEND_AFTER:
            raise ValidationError("刚刚已发送过邀请短信，请1分钟后再试。")
        locked.token_hash = _token_hash(raw)
        locked.expires_at = now + INVITATION_TTL
        locked.save(update_fields=["token_hash", "expires_at", "updated_at"])
        audit_record(
            action="workspace.member.invite_resend",
            actor=actor,
            target=locked,
            summary=f"重新发送邀请：{locked.real_name}",
            data={"phone": mask_phone(locked.phone)},
        )
        _send_invitation_sms(locked, raw, actor)
    return locked


def invitation_revoke(
    *, enterprise: Enterprise, actor: User, invitation: MemberInvitation
) -> MemberInvitation:
    """Withdraw an invitation not yet accepted; its link stops working."""
    check_enterprise_admin(actor, enterprise)
    with transaction.atomic():
        locked = _pending_invitation(enterprise, invitation)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            action="workspace.member.invite_revoke",
            actor=actor,
            target=locked,
            summary=f"撤销邀请：{locked.real_name}",
            data={"phone": mask_phone(locked.phone)},
        )
    return locked


def invitation_by_token(raw_token: str) -> MemberInvitation | None:
    """The invitation behind a join link (whatever its state), or None."""
    if not raw_token or len(raw_token) > 100:
        return None
    return (
        MemberInvitation.objects.select_related("enterprise", "invited_by")
        .filter(token_hash=_token_hash(raw_token))
        .first()
    )


def _invitation_problem(invitation: MemberInvitation | None) -> str:
    if invitation is None:
        return "邀请链接无效，请核对短信中的链接。"
    if invitation.accepted_at is not None:
        return "该邀请已被接受，请直接登录。"
    if invitation.revoked_at is not None:
        return "该邀请已被企业管理员撤销。"
    if invitation.expires_at <= timezone.now():
        return "该邀请已过期，请联系企业管理员重新发送。"
    if not invitation.enterprise.is_active:
        return "该企业账号已停用。"
    return ""


def invitation_check(raw_token: str) -> MemberInvitation:
    """The pending invitation behind a join link, or a ValidationError saying what is wrong."""
    invitation = invitation_by_token(raw_token)
    problem = _invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    assert invitation is not None
    return invitation


def invitation_code_send(*, raw_token: str) -> str:
    """Send the invitee an SMS code to the invited phone; returns it masked."""
    invitation = invitation_check(raw_token)
    phone_code_send(phone=invitation.phone, purpose=PhoneCodePurpose.REGISTER)
    return mask_phone(invitation.phone)


def invitation_accept(*, raw_token: str, code: str, username: str, password: str) -> User:
    """The invitee proves the phone with a code and gets an account in the enterprise."""
    invitation = invitation_check(raw_token)
    errors: dict[str, list[str]] = {}
    if User.objects.filter(phone=invitation.phone).exists():
        errors["__all__"] = [
            "该手机号已绑定平台上的其他账号，不能再注册；请用该账号登录，或联系企业管理员。"
        ]
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["该用户名已被使用，请换一个。"]
    try:
        validate_password(password, User(username=username, phone=invitation.phone))
    except ValidationError as exc:
        errors["password1"] = exc.messages
    if errors:
        raise ValidationError(errors)
    code_error: ValidationError | None = None
    user: User | None = None
    with transaction.atomic():
        locked = MemberInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None or locked.revoked_at is not None:
            raise ValidationError("该邀请已失效，请联系企业管理员。")
        try:
            phone_code_verify(phone=locked.phone, purpose=PhoneCodePurpose.REGISTER, code=code)
        except ValidationError as exc:
            # Leave the block normally so the failed attempt stays counted, then raise below.
            code_error = exc
        else:
            try:
                with transaction.atomic():
                    user = user_create(
                        username=username,
                        password=password,
                        real_name=locked.real_name,
                        phone=locked.phone,
                        enterprise=invitation.enterprise,
                        roles=[locked.role],
                        created_by=locked.invited_by,
                    )
            except IntegrityError as exc:  # the phone or username was taken a moment ago
                raise ValidationError("该手机号或用户名刚刚已被注册，请换一个用户名重试。") from exc
            locked.accepted_at = timezone.now()
            locked.accepted_user = user
            locked.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
            audit_record(
                action="workspace.member.join",
                actor=user,
                target=locked,
                summary=f"{locked.real_name}接受邀请加入企业（{Role(locked.role).label}）",
                data={"phone": mask_phone(locked.phone), "role": locked.role},
            )
    if code_error is not None:
        raise code_error
    assert user is not None
    return user


# --- Members ---------------------------------------------------------------------------------


def member_role_of(member: User) -> str:
    """The member's role in the enterprise: administrator wins over ordinary user."""
    if Role.ENTERPRISE_ADMIN in member.role_set:
        return Role.ENTERPRISE_ADMIN
    return Role.ENTERPRISE_MEMBER if Role.ENTERPRISE_MEMBER in member.role_set else ""


def member_role_set(*, enterprise: Enterprise, actor: User, member: User, role: str) -> User:
    """Make a member an administrator or an ordinary user; the last active admin stays one."""
    check_enterprise_admin(actor, enterprise)
    if member.enterprise_id != enterprise.pk:
        raise PermissionDenied("该账号不属于本企业。")
    if role not in MEMBER_ROLES:
        raise ValidationError({"role": "请选择企业管理员或企业用户。"})
    with transaction.atomic():
        # Lock the enterprise row: two admins demoting each other at once must not both succeed.
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        member.__dict__.pop("role_set", None)
        held = member.role_set & set(MEMBER_ROLES)
        if held == {role}:
            return member
        current = member_role_of(member)
        if (
            role != Role.ENTERPRISE_ADMIN
            and _is_active_admin(member)
            and not _other_active_admins(enterprise, member)
        ):
            raise ValidationError({"role": "这是本企业唯一的企业管理员，不能改为企业用户。"})
        role_grant(user=member, role=role, granted_by=actor)
        for other in MEMBER_ROLES:
            if other != role:
                role_revoke(user=member, role=other, revoked_by=actor)
        audit_record(
            action="workspace.member.role",
            actor=actor,
            target=member,
            summary=f"将{member}的角色设为{Role(role).label}",
            data={"role": role, "previous": current},
        )
    return member


def member_remove(*, enterprise: Enterprise, actor: User, member: User) -> User:
    """Remove a member: the account is disabled and its API tokens end; nothing is deleted."""
    check_enterprise_admin(actor, enterprise)
    if member.enterprise_id != enterprise.pk:
        raise PermissionDenied("该账号不属于本企业。")
    if member.pk == actor.pk:
        raise ValidationError("不能移除自己的账号；如需移交，请先将其他成员设为企业管理员。")
    if not member.is_active:
        return member
    with transaction.atomic():
        Enterprise.objects.select_for_update().filter(pk=enterprise.pk).first()
        if _is_active_admin(member) and not _other_active_admins(enterprise, member):
            raise ValidationError("这是本企业唯一的企业管理员，不能移除。")
        member.is_active = False
        user_update(user=member, changed_fields=["is_active"], actor=actor)
        audit_record(
            action="workspace.member.remove",
            actor=actor,
            target=member,
            summary=f"移除成员{member}（账号停用）",
        )
    return member
