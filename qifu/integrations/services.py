"""Issuing, revoking and checking API keys for integrations; every change is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Role, User
from qifu.accounts.services import user_create
from qifu.core.audit import audit_record
from qifu.core.models import AuditOutcome
from qifu.integrations.models import ApiKey, Scope

KEY_PREFIX = "qf_"
# The shown prefix: enough for an administrator to tell keys apart, far too little to guess one.
SHOWN_PREFIX_LENGTH = 11
# last_used_at is written at most this often per key, so a busy client does not write every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_issue(
    *, name: str, actor: User | None = None, scopes: list[str] | None = None
) -> tuple[str, ApiKey]:
    """Issue a key and its service account; returns the raw key, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "请填写密钥名称（对接系统名称）。"})
    if len(name) > 100:
        raise ValidationError({"name": "名称不能超过100个字。"})
    chosen = scopes if scopes is not None else [Scope.OPEN311.value]
    unknown = [s for s in chosen if s not in Scope.values]
    if unknown:
        raise ValidationError({"scopes": f"未知的权限范围：{'、'.join(unknown)}"})
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name,
            prefix=raw[:SHOWN_PREFIX_LENGTH],
            key_hash=key_hash(raw),
            scopes=chosen,
            created_by=actor,
        )
        # Appeals need a recording user: the integration acts as platform staff without a
        # department and without a usable password (it can never sign in).
        key.service_user = user_create(
            username=f"integration-{key.pk}",
            password=None,
            real_name=f"接口：{name}"[:50],
            roles=[Role.PLATFORM_STAFF],
            created_by=actor,
            validate=False,
        )
        key.save(update_fields=["service_user", "updated_at"])
        audit_record(
            action="integrations.api_key.issue",
            actor=actor,
            target=key,
            summary=f"签发接口密钥 {key.name}（{key.prefix}…）",
            data={"scopes": chosen},
        )
    return raw, key


def api_key_revoke(*, key: ApiKey, actor: User | None = None) -> ApiKey:
    """Revoke a key at once; its service account is deactivated with it."""
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        if locked.service_user_id:
            User.objects.filter(pk=locked.service_user_id).update(is_active=False)
        audit_record(
            action="integrations.api_key.revoke",
            actor=actor,
            target=locked,
            summary=f"吊销接口密钥 {locked.name}（{locked.prefix}…）",
        )
    return locked


def api_key_authenticate(raw: str, *, scope: str = Scope.OPEN311) -> ApiKey | None:
    """The active key with this value and scope, or None (a refusal is audited)."""
    raw = (raw or "").strip()
    key = None
    if raw.startswith(KEY_PREFIX):
        key = (
            ApiKey.objects.select_related("service_user")
            .filter(key_hash=key_hash(raw), revoked_at__isnull=True)
            .first()
        )
    if key is None or scope not in key.scopes:
        audit_record(
            action="integrations.api_key.denied",
            target=key,
            outcome=AuditOutcome.DENIED,
            summary="接口密钥无效、已吊销或无此权限",
            data={"prefix": raw[:SHOWN_PREFIX_LENGTH], "scope": str(scope)},
        )
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
