"""Writes for users, enterprises, departments, roles, verification codes and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from binascii import unhexlify
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from qifu.accounts.models import (
    ADMIN_TRIAD,
    ApiToken,
    Department,
    Enterprise,
    PhoneCode,
    PhoneCodePurpose,
    Role,
    RoleGrant,
    User,
)
from qifu.accounts.passwords import password_history_add
from qifu.accounts.validators import normalize_credit_code, validate_credit_code
from qifu.core.audit import audit_record
from qifu.core.masking import mask_phone
from qifu.core.models import AuditOutcome

PHONE_CODE_TTL = timedelta(minutes=10)
PHONE_CODE_RESEND_AFTER = timedelta(seconds=60)
PHONE_CODE_MAX_ATTEMPTS = 5


def _hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def user_create(
    *,
    username: str,
    password: str | None,
    real_name: str = "",
    phone: str | None = None,
    enterprise: Enterprise | None = None,
    department: Department | None = None,
    roles: list[str] | tuple[str, ...] = (),
    is_superuser: bool = False,
    created_by: User | None = None,
    validate: bool = True,
) -> User:
    """Create a user with its roles; the password is checked against the password rules."""
    user = User(
        username=username,
        real_name=real_name,
        phone=phone or None,
        enterprise=enterprise,
        department=department,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    if password:
        if validate:
            validate_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save()
        password_history_add(user)
        for role in roles:
            role_grant(user=user, role=role, granted_by=created_by)
    audit_record(action="accounts.user.create", actor=created_by, target=user, summary=username)
    return user


ONE_PER_DEPARTMENT = frozenset({Role.LIAISON, Role.DEPARTMENT_ADMIN})


def role_grant_check(*, user: User, role: str) -> None:
    """Refuse a grant that breaks a rule on roles; forms call it to show the error in place."""
    if role not in Role.values:
        raise ValidationError({"role": "未知角色。"})
    if role in ADMIN_TRIAD:
        triad: set[str] = {str(r) for r in ADMIN_TRIAD} - {role}
        held = triad & set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        if held:
            other = Role(sorted(held)[0]).label
            raise ValidationError(
                {"role": f"三员分立：该用户已是{other}，不能再兼任{Role(role).label}。"}
            )
    if role == Role.LIAISON and (user.department is None or user.department.kind != "agency"):
        # Article 11: the liaison belongs to a platform management agency (行政审批服务局, 工信局,
        # 商务局); a department or town has its administrator instead.
        raise ValidationError(
            {"role": "联络员只设于平台管理机构；部门和镇街请设管理员（第十一条）。"}
        )
    if role in ONE_PER_DEPARTMENT and user.department_id is not None:
        # Measures, article 11: one liaison per agency, one administrator per department or town.
        taken = (
            RoleGrant.objects.filter(role=role, department_id=user.department_id)
            .exclude(user=user)
            .exists()
        )
        if taken:
            raise ValidationError({"role": f"该部门已有{Role(role).label}，每个部门只能有一名。"})


def role_grant(*, user: User, role: str, granted_by: User | None = None) -> RoleGrant:
    """Give a user a role within their own department or enterprise."""
    role_grant_check(user=user, role=role)
    grant, created = RoleGrant.objects.get_or_create(
        user=user,
        role=role,
        defaults={
            "department": user.department,
            "enterprise": user.enterprise,
            "granted_by": granted_by,
        },
    )
    if created:
        user.__dict__.pop("role_set", None)
        audit_record(
            action="accounts.role.grant",
            actor=granted_by,
            target=user,
            summary=f"授予{Role(role).label}",
            data={"role": role},
        )
    return grant


def role_revoke(*, user: User, role: str, revoked_by: User | None = None) -> None:
    """Take a role away from a user; audited."""
    deleted, _ = RoleGrant.objects.filter(user=user, role=role).delete()
    user.__dict__.pop("role_set", None)
    if deleted:
        audit_record(
            action="accounts.role.revoke",
            actor=revoked_by,
            target=user,
            summary=f"撤销{Role(role).label}",
            data={"role": role},
        )


ENTERPRISE_FIELDS = (
    "name",
    "industry",
    "scale",
    "qualifications",
    "region",
    "address",
    "latitude",
    "longitude",
    "registered_capital",
    "employees",
    "revenue",
    "founded_on",
    "rd_ratio",
    "legal_representative",
    "legal_representative_id_number",
    "contact_name",
    "contact_phone",
)


def enterprise_upsert(*, credit_code: str, actor: User | None = None, **fields: Any) -> Enterprise:
    """Create or update an enterprise by its credit code (imports call this: idempotent)."""
    code = normalize_credit_code(credit_code)
    unknown = set(fields) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValueError(f"unknown enterprise fields: {sorted(unknown)}")
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().filter(credit_code=code).first()
        created = enterprise is None
        if enterprise is None:
            enterprise = Enterprise(credit_code=code)
        for key, value in fields.items():
            setattr(enterprise, key, value)
        enterprise.full_clean()
        enterprise.save()
    audit_record(
        action="accounts.enterprise.create" if created else "accounts.enterprise.update",
        actor=actor,
        target=enterprise,
        summary=enterprise.name,
    )
    return enterprise


def phone_code_send(
    *, phone: str, purpose: str, now: datetime | None = None, deliver: bool = True
) -> PhoneCode:
    """Send a 6-digit code by SMS; at most one a minute per phone and purpose, and within the
    hourly SMS caps per phone, per client address and for the platform (every purpose counts).

    `deliver=False` records a code nobody receives, so that an unregistered phone behaves like a
    registered one (same rate limits, same "wrong code" answer) and reveals nothing.
    """
    from qifu.notifications.services import sms_quota_take, sms_send_now

    now = now or timezone.now()
    recent = PhoneCode.objects.filter(
        phone=phone, purpose=purpose, created_at__gt=now - PHONE_CODE_RESEND_AFTER
    ).exists()
    if recent:
        raise ValidationError({"phone": "验证码发送过于频繁，请60秒后再试。"})
    if not sms_quota_take(phone=phone):
        raise ValidationError({"phone": "短信验证码发送次数已达上限，请一小时后再试。"})
    code = f"{secrets.randbelow(10**6):06d}"
    record = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_hash(f"{phone}:{purpose}:{code}"),
        expires_at=now + PHONE_CODE_TTL,
    )
    if not deliver:
        return record
    label = PhoneCodePurpose(purpose).label
    sms_send_now(
        phone=phone,
        text=f"【{settings.PLATFORM_NAME}】您的{label}验证码为{code}，10分钟内有效。请勿告诉他人。",
        counted=True,
    )
    return record


def phone_code_verify(*, phone: str, purpose: str, code: str) -> None:
    """Consume a valid code or raise a ValidationError on the `code` field."""
    now = timezone.now()
    error = ""
    with transaction.atomic():
        record = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if record is None:
            error = "验证码已失效，请重新获取。"
        elif record.attempts >= PHONE_CODE_MAX_ATTEMPTS:
            error = "验证码错误次数过多，请重新获取。"
        elif not hmac.compare_digest(
            record.code_hash, _hash(f"{phone}:{purpose}:{(code or '').strip()}")
        ):
            # Counted before raising, outside the atomic block: a rollback would forget the guess.
            record.attempts += 1
            record.save(update_fields=["attempts", "updated_at"])
            error = "验证码不正确。"
        else:
            record.used_at = now
            record.save(update_fields=["used_at", "updated_at"])
    if error:
        raise ValidationError({"code": error})


def _api_tokens_revoke(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def user_set_password(*, user: User, password: str, actor: User | None = None) -> None:
    """Set a new password by the password rules; other sessions and all API tokens end.

    Django drops every session whose stored password hash no longer matches (ASVS 7.4.3); the view
    keeps its own one with update_session_auth_hash.
    """
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        password_history_add(user)
        _api_tokens_revoke(user=user)
        audit_record(action="accounts.password.change", actor=actor or user, target=user)


def user_change_password(*, user: User, old_password: str, new_password: str) -> None:
    """A signed-in user changes their own password; the current one is required."""
    if not user.check_password(old_password):
        audit_record(
            action="accounts.password.change",
            actor=user,
            target=user,
            outcome=AuditOutcome.FAILURE,
            summary="原密码不正确",
        )
        raise ValidationError({"old_password": "原密码不正确。"})
    if old_password == new_password:
        raise ValidationError({"new_password1": "新密码不能与原密码相同。"})
    try:
        user_set_password(user=user, password=new_password)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc


def password_reset_code_send(*, phone: str) -> None:
    """Send a reset code if the phone belongs to an active account; behave the same otherwise."""
    exists = User.objects.filter(phone=phone, is_active=True).exists()
    phone_code_send(phone=phone, purpose=PhoneCodePurpose.RESET_PASSWORD, deliver=exists)
    audit_record(
        action="accounts.password.reset_code",
        summary="申请找回密码验证码",
        data={"phone": mask_phone(phone), "registered": exists},
    )


def user_reset_password(*, phone: str, code: str, password: str) -> User:
    """Reset a forgotten password with an SMS code sent to the account's phone."""
    user = User.objects.filter(phone=phone, is_active=True).first()
    try:
        # Checked before the code is consumed, so a weak password does not cost the code.
        validate_password(password, user or User(phone=phone))
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    try:
        phone_code_verify(phone=phone, purpose=PhoneCodePurpose.RESET_PASSWORD, code=code)
    except ValidationError:
        audit_record(
            action="accounts.password.reset",
            username=user.username if user else "",
            target=user,
            data={"phone": mask_phone(phone)},
            outcome=AuditOutcome.FAILURE,
            summary="找回密码验证码错误",
        )
        raise
    if user is None:  # pragma: no cover - no one receives a code for an unknown phone
        raise ValidationError({"code": "验证码不正确。"})
    with transaction.atomic():
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "password_changed_at"])
        password_history_add(user)
        _api_tokens_revoke(user=user)
        audit_record(
            action="accounts.password.reset", actor=user, target=user, summary="通过手机号找回密码"
        )
    return user


def enterprise_register(
    *,
    credit_code: str,
    enterprise_name: str,
    industry: str,
    scale: str,
    real_name: str,
    phone: str,
    code: str,
    username: str,
    password: str,
) -> User:
    """Self-registration: a new enterprise and its first user, who becomes its administrator.

    The SMS code is checked before anything is looked up: without a valid code the answer is the
    same whether the phone, the username or the enterprise is registered or not (no enumeration).
    Once the code proves the phone, taken names are reported and the code stays usable.
    """
    credit_code = normalize_credit_code(credit_code)
    errors: dict[str, list[str]] = {}
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    try:
        validate_password(password, User(username=username, phone=phone))
    except ValidationError as exc:
        errors["password1"] = exc.messages
    if errors:
        raise ValidationError(errors)

    code_error: ValidationError | None = None
    with transaction.atomic():
        try:
            phone_code_verify(phone=phone, purpose=PhoneCodePurpose.REGISTER, code=code)
        except ValidationError as exc:
            # Leave the block normally so the failed attempt is counted, then raise below.
            code_error = exc
        else:
            if Enterprise.objects.filter(credit_code=credit_code).exists():
                errors["credit_code"] = ["该企业已注册，请联系本企业管理员添加账号。"]
            if User.objects.filter(username__iexact=username).exists():
                errors["username"] = ["该用户名已被使用，请换一个。"]
            if User.objects.filter(phone=phone).exists():
                errors["phone"] = ["该手机号已绑定其他账号，可通过“找回密码”登录。"]
            if errors:  # rolls the code's use back: it stays valid for the corrected form
                raise ValidationError(errors)
            enterprise = Enterprise(
                credit_code=credit_code,
                name=enterprise_name.strip(),
                industry=industry,
                scale=scale,
                contact_name=real_name,
                contact_phone=phone,
            )
            enterprise.full_clean()
            try:
                with transaction.atomic():
                    enterprise.save()
            except IntegrityError as exc:  # registered by someone else a moment ago
                raise ValidationError(
                    {"credit_code": "该企业已注册，请联系本企业管理员添加账号。"}
                ) from exc
            user = user_create(
                username=username,
                password=password,
                real_name=real_name,
                phone=phone,
                enterprise=enterprise,
                roles=[Role.ENTERPRISE_ADMIN],
            )
            audit_record(
                action="accounts.enterprise.register",
                actor=user,
                target=enterprise,
                summary=f"企业自助注册：{enterprise.name}",
            )
    if code_error is not None:
        raise code_error
    return user


def user_update(*, user: User, changed_fields: list[str], actor: User | None) -> User:
    """Save an administrator's edit of an account; disabling it ends its API tokens at once."""
    with transaction.atomic():
        user.full_clean(exclude=["password"])
        user.save()
        if "is_active" in changed_fields and not user.is_active:
            # Sessions of an inactive user are refused by the auth backend on the next request.
            _api_tokens_revoke(user=user)
            audit_record(
                action="accounts.user.disable", actor=actor, target=user, summary="停用账号"
            )
        audit_record(
            action="accounts.user.update",
            actor=actor,
            target=user,
            summary=user.username,
            data={"fields": sorted(changed_fields)},
        )
    return user


def otp_device_confirm(*, user: User, key: str, token: str, name: str = "身份验证器") -> TOTPDevice:
    """Enrol a TOTP authenticator once the user proves it works; it replaces any earlier one."""
    totp = TOTP(unhexlify(key.encode()))
    try:
        verified = totp.verify(int((token or "").strip()), tolerance=1)
    except ValueError:
        verified = False
    if not verified:
        audit_record(
            action="auth.otp.enable", actor=user, outcome=AuditOutcome.FAILURE, summary="验证码错误"
        )
        raise ValidationError({"token": "动态验证码不正确，请核对手机时间后重试。"})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # last_t stops the code just used from being accepted a second time at sign-in.
        device = TOTPDevice.objects.create(
            user=user, name=name, key=key, confirmed=True, last_t=totp.t()
        )
        audit_record(action="auth.otp.enable", actor=user, target=user, summary="启用动态验证码")
    return device


def otp_devices_remove(*, user: User, actor: User | None = None) -> int:
    """Remove a user's authenticators (lost phone); audited."""
    with transaction.atomic():
        deleted, _ = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            audit_record(
                action="auth.otp.disable",
                actor=actor or user,
                target=user,
                summary="移除动态验证码",
            )
    return deleted


def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Issue a bearer token; the raw value is returned once and only its hash is kept."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        token_hash=hashlib.sha256(raw.encode()).hexdigest(),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS),
    )
    audit_record(action="auth.token.issue", actor=user, target=user, summary="签发API令牌")
    return raw, token


def api_token_revoke(raw: str) -> bool:
    """Revoke the bearer token `raw` (sign out of the API); False when it was not active."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return False
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    audit_record(
        action="auth.token.revoke", actor=token.user, target=token.user, summary="注销API令牌"
    )
    return True


def user_sign_out_everywhere(*, user: User, keep_session_key: str | None = None) -> int:
    """End every session of the user (but `keep_session_key`) and revoke all their API tokens;
    the number of sessions ended. Sessions are kept in the database (django.contrib.sessions),
    without an index by user: each unexpired one is read once (a rare, user-initiated action)."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session

    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep_session_key:
            continue
        if str(session.get_decoded().get(SESSION_KEY, "")) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    tokens = _api_tokens_revoke(user=user)
    audit_record(
        action="auth.logout.everywhere",
        actor=user,
        target=user,
        summary="在所有设备上退出",
        data={"sessions": len(ended), "tokens": tokens},
    )
    return len(ended)


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    now = timezone.now()
    # A slice, not .first(): the hash is unique, and ORDER BY id costs a quarter of the
    # query's compilation on every API request.
    found = list(
        ApiToken.objects.select_related("user", "user__enterprise", "user__department").filter(
            token_hash=digest, revoked_at__isnull=True, expires_at__gt=now
        )[:1]
    )
    token = found[0] if found else None
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
