"""Writes of the enterprise profile and its members: invitations by SMS, roles and removal.

The enterprise administrator (企业管理员) manages both. Key profile fields (the legal
representative, their ID number, the contact phone) change only with an SMS code sent to the
administrator's own phone; every change is audited, with personal data masked.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation
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
from qifu.core.masking import mask_id_number, mask_name, mask_phone
from qifu.core.models import AuditOutcome
from qifu.notifications.services import sms_send_now
from qifu.workspace.models import MemberInvitation

logger = logging.getLogger(__name__)

INVITATION_TTL = timedelta(days=7)
INVITATION_RESEND_AFTER = timedelta(seconds=60)
MEMBER_ROLES = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_MEMBER)

# Facts of the enterprise itself that its administrator keeps up to date; they feed policy
# matching. Registry facts (name, credit code, capital, founding date, industry) are not here:
# changing them is a 变更登记 with the market regulator.
PROFILE_FIELDS = ("address", "employees", "revenue", "rd_ratio", "contact_name")
# Fields whose change needs an SMS code to the administrator's own phone (measures article 8).
KEY_FIELDS = ("legal_representative", "legal_representative_id_number", "contact_phone")
EDITABLE_FIELDS = PROFILE_FIELDS + KEY_FIELDS

_MASKERS = {
    "legal_representative": mask_name,
    "legal_representative_id_number": mask_id_number,
    "contact_phone": mask_phone,
    "contact_name": mask_name,
}
_LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


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


# --- Profile ---------------------------------------------------------------------------------


def validate_id_number(value: str) -> None:
    """A resident identity card number (GB 11643-1999): 18 characters with a check character."""
    number = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError("身份证号应为18位，前17位为数字，最后一位为数字或X。")
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        raise ValidationError("身份证号校验位不正确，请核对后重新输入。")


def validate_contact_phone(value: str) -> None:
    """A mobile number or a landline with its area code (e.g. 0631-7561234)."""
    if _LANDLINE_RE.match(value or ""):
        return
    try:
        validate_mobile(value)
    except ValidationError as exc:
        raise ValidationError("请输入11位手机号，或带区号的固定电话（如 0631-7561234）。") from exc


def _normalise(name: str, value: Any) -> Any:
    if name in ("revenue", "rd_ratio"):
        try:
            return Decimal(str(value))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError({name: "请输入数字。"}) from exc
    if name == "employees":
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError({name: "请输入整数。"}) from exc
    value = "" if value is None else str(value).strip()
    if name == "legal_representative_id_number":
        value = value.upper()
    return value


def enterprise_profile_check(*, enterprise: Enterprise, changes: dict[str, Any]) -> dict[str, Any]:
    """Validate proposed profile values; return only those that differ from the stored ones.

    The model's own validators run (full_clean on a copy), plus the ID-number and phone checks;
    errors come back field by field, in Chinese.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            dict.fromkeys(sorted(unknown), "此项为登记事项，不能在此修改，请通过变更登记办理。")
        )
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        try:
            cleaned[name] = _normalise(name, value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for name in (*KEY_FIELDS, "contact_name"):
        if (
            name in cleaned
            and name not in errors
            and not cleaned[name]
            and getattr(enterprise, name)
        ):
            errors[name] = ["此项不能清空。"]
    id_number = cleaned.get("legal_representative_id_number")
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as exc:
            errors.setdefault("legal_representative_id_number", []).extend(exc.messages)
    phone = cleaned.get("contact_phone")
    if phone:
        try:
            validate_contact_phone(phone)
        except ValidationError as exc:
            errors.setdefault("contact_phone", []).extend(exc.messages)
    candidate = Enterprise.objects.get(pk=enterprise.pk)
    for name, value in cleaned.items():
        if name not in errors:
            setattr(candidate, name, value)
    try:
        candidate.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name in cleaned:
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return {name: value for name, value in cleaned.items() if getattr(enterprise, name) != value}


def _masked(name: str, value: Any) -> str:
    masker = _MASKERS.get(name)
    return masker(str(value)) if masker else str(value)


def _apply(enterprise: Enterprise, changes: dict[str, Any]) -> None:
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
            setattr(enterprise, name, value)
        locked.save(update_fields=[*changes, "updated_at"])


def enterprise_profile_update(
    *, enterprise: Enterprise, actor: User, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply the ordinary profile fields at once; return the key-field changes left pending.

    Pending values are validated and JSON-ready (strings); the caller keeps them server-side
    and applies them with `enterprise_key_fields_update` once the administrator gives the code.
    """
    check_enterprise_admin(actor, enterprise)
    changed = enterprise_profile_check(enterprise=enterprise, changes=changes)
    ordinary = {k: v for k, v in changed.items() if k in PROFILE_FIELDS}
    pending = {k: v for k, v in changed.items() if k in KEY_FIELDS}
    if ordinary:
        with transaction.atomic():
            before = {name: _masked(name, getattr(enterprise, name)) for name in ordinary}
            _apply(enterprise, ordinary)
            audit_record(
                action="workspace.profile.update",
                actor=actor,
                target=enterprise,
                summary="修改企业信息：" + "、".join(field_label(n) for n in sorted(ordinary)),
                data={
                    "fields": sorted(ordinary),
                    "changes": {n: [before[n], _masked(n, v)] for n, v in ordinary.items()},
                },
            )
    return pending


def field_label(name: str) -> str:
    """The Chinese name of an enterprise field, e.g. 法定代表人."""
    return str(getattr(Enterprise._meta.get_field(name), "verbose_name", name))


def profile_verification_send(*, enterprise: Enterprise, actor: User) -> str:
    """Send the administrator a code for changing key fields; returns the masked phone."""
    check_enterprise_admin(actor, enterprise)
    if not actor.phone:
        raise ValidationError(
            {"code": "您的账号未绑定手机号，无法接收验证码，请联系平台工作人员绑定后再修改。"}
        )
    phone_code_send(phone=actor.phone, purpose=PhoneCodePurpose.VERIFY)
    audit_record(
        action="workspace.profile.verification",
        actor=actor,
        target=enterprise,
        summary="发送修改企业关键信息验证码",
        data={"phone": mask_phone(actor.phone)},
    )
    return mask_phone(actor.phone)


def enterprise_key_fields_update(
    *, enterprise: Enterprise, actor: User, changes: dict[str, Any], code: str
) -> list[str]:
    """Apply key-field changes once the SMS code sent to the administrator is right; audited."""
    check_enterprise_admin(actor, enterprise)
    unknown = set(changes) - set(KEY_FIELDS)
    if unknown:
        raise ValueError(f"not key fields: {sorted(unknown)}")
    changed = enterprise_profile_check(enterprise=enterprise, changes=changes)
    if not actor.phone:
        raise ValidationError({"code": "您的账号未绑定手机号，无法验证。"})
    try:
        # Outside any transaction of ours, so a wrong guess is counted even though we raise.
        phone_code_verify(phone=actor.phone, purpose=PhoneCodePurpose.VERIFY, code=code)
    except ValidationError:
        audit_record(
            action="workspace.profile.key_update",
            actor=actor,
            target=enterprise,
            outcome=AuditOutcome.FAILURE,
            summary="修改企业关键信息：验证码错误或失效",
            data={"fields": sorted(changes)},
        )
        raise
    if not changed:
        return []
    with transaction.atomic():
        before = {name: getattr(enterprise, name) for name in changed}
        _apply(enterprise, changed)
        audit_record(
            action="workspace.profile.key_update",
            actor=actor,
            target=enterprise,
            summary="经短信验证修改企业关键信息："
            + "、".join(field_label(n) for n in sorted(changed)),
            data={
                "fields": sorted(changed),
                "changes": {n: [_masked(n, before[n]), _masked(n, v)] for n, v in changed.items()},
            },
        )
    return sorted(changed)


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
