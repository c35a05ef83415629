"""Writes for users, enterprises, departments, roles, verification codes and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import (
    ApiToken,
    Department,
    Enterprise,
    PhoneCode,
    PhoneCodePurpose,
    Role,
    RoleGrant,
    User,
)
from qifu.accounts.validators import normalize_credit_code
from qifu.core.audit import audit_record

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
        for role in roles:
            role_grant(user=user, role=role, granted_by=created_by)
    audit_record(action="accounts.user.create", actor=created_by, target=user, summary=username)
    return user


def role_grant(*, user: User, role: str, granted_by: User | None = None) -> RoleGrant:
    """Give a user a role within their own department or enterprise."""
    if role not in Role.values:
        raise ValidationError({"role": "未知角色。"})
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


def phone_code_send(*, phone: str, purpose: str, now: datetime | None = None) -> PhoneCode:
    """Send a 6-digit code by SMS; at most one a minute per phone and purpose."""
    from qifu.notifications.services import sms_send_now

    now = now or timezone.now()
    recent = PhoneCode.objects.filter(
        phone=phone, purpose=purpose, created_at__gt=now - PHONE_CODE_RESEND_AFTER
    ).exists()
    if recent:
        raise ValidationError({"phone": "验证码发送过于频繁，请60秒后再试。"})
    code = f"{secrets.randbelow(10**6):06d}"
    record = PhoneCode.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_hash(f"{phone}:{purpose}:{code}"),
        expires_at=now + PHONE_CODE_TTL,
    )
    label = PhoneCodePurpose(purpose).label
    sms_send_now(
        phone=phone,
        text=f"【{settings.PLATFORM_NAME}】您的{label}验证码为{code}，10分钟内有效。请勿告诉他人。",
    )
    return record


def phone_code_verify(*, phone: str, purpose: str, code: str) -> None:
    """Consume a valid code or raise a ValidationError on the `code` field."""
    now = timezone.now()
    with transaction.atomic():
        record = (
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if record is None:
            raise ValidationError({"code": "验证码已失效，请重新获取。"})
        if record.attempts >= PHONE_CODE_MAX_ATTEMPTS:
            raise ValidationError({"code": "验证码错误次数过多，请重新获取。"})
        if not hmac.compare_digest(record.code_hash, _hash(f"{phone}:{purpose}:{code.strip()}")):
            record.attempts += 1
            record.save(update_fields=["attempts", "updated_at"])
            raise ValidationError({"code": "验证码不正确。"})
        record.used_at = now
        record.save(update_fields=["used_at", "updated_at"])


def user_set_password(*, user: User, password: str, actor: User | None = None) -> None:
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(action="accounts.password.change", actor=actor or user, target=user)


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


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a bearer token, or None."""
    digest = hashlib.sha256(raw.encode()).hexdigest()
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__enterprise", "user__department")
        .filter(token_hash=digest, revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
