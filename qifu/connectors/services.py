"""Writes for external systems: the registry, the signed hand-over token, and inbound events.

The protocol (docs/connectors.md): the enterprise is handed over with a JWT (HS256) signed with the
connector's shared secret; the external system reports status to the webhook with
`X-Qifu-Signature` = hex HMAC-SHA256(secret, timestamp + "." + raw body). Every event_id is applied
once (unique constraint), an event older than the case's last one is recorded without changing the
status, and the enterprise is notified after commit.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from qifu.accounts.models import Enterprise, User
from qifu.connectors.models import (
    MATTER_CODE_VALIDATOR,
    CaseStatus,
    Connector,
    ExternalCase,
    ExternalCaseEvent,
)
from qifu.core.audit import audit_record
from qifu.core.models import AuditOutcome

TOKEN_TTL = dt.timedelta(minutes=5)
# Replay window of the webhook: a signed request is accepted for 5 minutes after it was signed.
WEBHOOK_WINDOW = dt.timedelta(minutes=5)
# A little tolerance for the two clocks; a timestamp further in the future is refused.
CLOCK_SKEW = dt.timedelta(seconds=30)
TOKEN_ISSUER = "qifu"  # noqa: S105 (an issuer name, not a password)


class TokenInvalid(Exception):
    """The hand-over token is malformed, forged, for another system, or expired."""


class WebhookRejected(Exception):
    """An inbound request refused before anything is applied; carries the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class UnknownEnterprise(WebhookRejected):
    def __init__(self, credit_code: str) -> None:
        super().__init__(422, f"未找到统一社会信用代码为 {credit_code} 的企业，请核对后重发。")


@dataclass(frozen=True)
class ApplyResult:
    event: ExternalCaseEvent
    # False when the event_id had been applied before: nothing was changed this time.
    is_new: bool


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def connector_create(
    *, code: str, name: str, entry_url: str, actor: User | None, secret: str = ""
) -> tuple[str, Connector]:
    """Register an external system; returns the shared secret, which is shown only this once."""
    raw = secret or _new_secret()
    connector = Connector(
        code=code,
        name=name,
        entry_url=entry_url,
        secret=raw,
        secret_rotated_at=timezone.now(),
    )
    connector.full_clean()
    connector.save()
    audit_record(
        action="connectors.connector.created",
        actor=actor,
        target=connector,
        summary=f"登记外部系统“{name}”（{code}）",
    )
    return raw, connector


@transaction.atomic
def connector_rotate_secret(*, connector: Connector, actor: User | None) -> str:
    """Replace the shared secret; the old one stops working at once. Returns the new secret."""
    locked = Connector.objects.select_for_update().get(pk=connector.pk)
    raw = _new_secret()
    locked.secret = raw
    locked.secret_rotated_at = timezone.now()
    locked.save(update_fields=["secret", "secret_rotated_at", "updated_at"])
    connector.secret, connector.secret_rotated_at = locked.secret, locked.secret_rotated_at
    audit_record(
        action="connectors.secret.rotated",
        actor=actor,
        target=locked,
        summary=f"更换外部系统“{locked.name}”的共享密钥",
    )
    return raw


@transaction.atomic
def connector_set_active(*, connector: Connector, is_active: bool, actor: User | None) -> None:
    """Enable or disable an external system: disabled, it neither receives nor sends anything."""
    connector.is_active = is_active
    connector.save(update_fields=["is_active", "updated_at"])
    audit_record(
        action="connectors.connector.enabled" if is_active else "connectors.connector.disabled",
        actor=actor,
        target=connector,
        summary=f"{'启用' if is_active else '停用'}外部系统“{connector.name}”",
    )


# --- the hand-over token (a JWT, HS256, so any JWT library on the other side verifies it) ---


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def entry_token_issue(*, connector: Connector, user: User, matter_code: str) -> str:
    """Hand-over token for an enterprise user: who, which enterprise, which matter; 5 minutes."""
    MATTER_CODE_VALIDATOR(matter_code)
    enterprise = user.enterprise
    if enterprise is None:
        raise ValidationError("只有企业用户可以前往外部系统办理。")
    now = timezone.now()
    claims = {
        "iss": TOKEN_ISSUER,
        "aud": connector.code,
        "sub": str(user.pk),
        "credit_code": enterprise.credit_code,
        "enterprise_name": enterprise.name,
        "matter_code": matter_code,
        "iat": int(now.timestamp()),
        "exp": int((now + TOKEN_TTL).timestamp()),
        "jti": secrets.token_hex(16),
    }
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, ensure_ascii=False, separators=(",", ":")).encode())
    signing_input = f"{header}.{body}".encode()
    return f"{header}.{body}.{_b64(_sign(connector.secret, signing_input))}"


def entry_token_verify(*, connector: Connector, token: str) -> dict[str, Any]:
    """What the external system does with the token; here for tests and as the reference."""
    try:
        header_b64, body_b64, signature_b64 = token.split(".")
        header = json.loads(_unb64(header_b64))
        signature = _unb64(signature_b64)
        claims: dict[str, Any] = json.loads(_unb64(body_b64))
    except (ValueError, TypeError) as exc:
        raise TokenInvalid("令牌格式不正确") from exc
    if header.get("alg") != "HS256":
        raise TokenInvalid("不支持的签名算法")
    expected = _sign(connector.secret, f"{header_b64}.{body_b64}".encode())
    if not hmac.compare_digest(signature, expected):
        raise TokenInvalid("签名不正确")
    if claims.get("iss") != TOKEN_ISSUER or claims.get("aud") != connector.code:
        raise TokenInvalid("令牌不是签发给本系统的")
    if not isinstance(claims.get("exp"), int) or timezone.now().timestamp() >= claims["exp"]:
        raise TokenInvalid("令牌已过期")
    return claims


def entry_token_record(*, connector: Connector, user: User, matter_code: str) -> str:
    """Issue the hand-over token and audit that the enterprise was sent to the external system."""
    token = entry_token_issue(connector=connector, user=user, matter_code=matter_code)
    audit_record(
        action="connectors.entry.handed_over",
        actor=user,
        target=connector,
        summary=f"前往“{connector.name}”办理事项 {matter_code}",
        data={"matter_code": matter_code, "enterprise_id": user.enterprise_id},
    )
    return token


# --- the inbound webhook ---


def webhook_signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """hex HMAC-SHA256(secret, timestamp + "." + raw body): what the external system sends."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _reject(connector: Connector, status: int, message: str) -> WebhookRejected:
    audit_record(
        action="connectors.webhook.rejected",
        target=connector,
        outcome=AuditOutcome.DENIED,
        summary=f"拒绝“{connector.name}”的状态推送：{message}",
        username=f"connector:{connector.code}",
    )
    return WebhookRejected(status, message)


def webhook_verify(*, connector: Connector, timestamp: str, signature: str, body: bytes) -> None:
    """Check signature (constant time) and replay window; raise WebhookRejected otherwise."""
    expected = webhook_signature(secret=connector.secret, timestamp=timestamp, body=body)
    # Compared before the timestamp is parsed, so a forger learns nothing from the error.
    if not signature or not hmac.compare_digest(signature.lower(), expected):
        raise _reject(connector, 401, "签名校验失败")
    try:
        signed_at = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise _reject(connector, 401, "时间戳格式不正确") from None
    now = timezone.now()
    if signed_at < now - WEBHOOK_WINDOW or signed_at > now + CLOCK_SKEW:
        raise _reject(connector, 401, "请求已过期或时间戳不在允许范围内，请重新签名发送")


def _clean_payload(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ValidationError("报文必须是 JSON 对象")
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, limit in (
        ("event_id", 64),
        ("case_id", 64),
        ("matter_code", 64),
        ("credit_code", 18),
    ):
        value = payload.get(name)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            errors[name] = f"必填，不超过 {limit} 个字符"
        else:
            cleaned[name] = value.strip()
    if "matter_code" in cleaned:
        try:
            MATTER_CODE_VALIDATOR(cleaned["matter_code"])
        except ValidationError:
            errors["matter_code"] = "事项编码格式不正确"
    status = payload.get("status")
    if status not in CaseStatus.values:
        errors["status"] = "取值应为 " + "/".join(CaseStatus.values)
    cleaned["status"] = status
    text = payload.get("status_text", "")
    if not isinstance(text, str) or len(text) > 500:
        errors["status_text"] = "不超过 500 个字符"
    cleaned["status_text"] = text if isinstance(text, str) else ""
    occurred = payload.get("occurred_at")
    try:
        parsed = parse_datetime(occurred) if isinstance(occurred, str) else None
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30
        parsed = None
    if parsed is None or timezone.is_naive(parsed):
        errors["occurred_at"] = "须为带时区的 ISO 8601 时间，如 2026-11-26T10:00:00+08:00"
    cleaned["occurred_at"] = parsed
    licence = payload.get("licence") or {}
    if not isinstance(licence, dict) or any(
        not isinstance(v, str) or len(v) > 200 for v in licence.values()
    ):
        errors["licence"] = "须为字符串字段组成的对象"
    else:
        cleaned["licence"] = {
            k: licence[k] for k in ("number", "name", "holder", "valid_until") if k in licence
        }
    if errors:
        raise ValidationError(errors)
    return cleaned


def _locked_case(
    *, connector: Connector, data: dict[str, Any], enterprise: Enterprise
) -> tuple[ExternalCase, bool]:
    lookup = {"connector": connector, "external_id": data["case_id"]}
    case = ExternalCase.objects.select_for_update().filter(**lookup).first()
    if case is not None:
        return case, False
    try:
        with transaction.atomic():
            case = ExternalCase.objects.create(
                **lookup,
                enterprise=enterprise,
                matter_code=data["matter_code"],
                status=data["status"],
                status_text=data["status_text"],
                last_event_at=data["occurred_at"],
                licence=data.get("licence", {}),
            )
        return case, True
    except IntegrityError:
        # Another request created it in between: take the row it made.
        return ExternalCase.objects.select_for_update().get(**lookup), False


@transaction.atomic
def external_event_apply(*, connector: Connector, payload: Any) -> ApplyResult:
    """Apply one status event: once per event_id; an older event never overwrites a newer one."""
    data = _clean_payload(payload)
    existing = ExternalCaseEvent.objects.filter(
        connector=connector, event_id=data["event_id"]
    ).first()
    if existing is not None:
        return ApplyResult(event=existing, is_new=False)
    enterprise = Enterprise.objects.filter(credit_code=data["credit_code"]).first()
    if enterprise is None:
        raise UnknownEnterprise(data["credit_code"])
    case, created = _locked_case(connector=connector, data=data, enterprise=enterprise)
    if case.enterprise_id != enterprise.pk:
        raise WebhookRejected(422, "该办件已属于另一家企业，统一社会信用代码与首次推送不一致。")
    is_current = created or data["occurred_at"] >= case.last_event_at
    previous_status = None if created else case.status
    try:
        with transaction.atomic():
            event = ExternalCaseEvent.objects.create(
                connector=connector,
                case=case,
                event_id=data["event_id"],
                status=data["status"],
                status_text=data["status_text"],
                occurred_at=data["occurred_at"],
                is_current=is_current,
                payload=payload,
            )
    except IntegrityError:
        # The same event_id arrived twice at once: the other request applied it.
        raise WebhookRejected(409, "该事件正在处理，请稍后查询结果。") from None
    if is_current and not created:
        case.status = data["status"]
        case.status_text = data["status_text"]
        case.last_event_at = data["occurred_at"]
        if data.get("licence"):
            case.licence = data["licence"]
        if data["matter_code"] != case.matter_code:
            case.matter_code = data["matter_code"]
        case.save()
    if is_current and case.status != previous_status:
        case_id, event_pk = case.pk, event.pk
        transaction.on_commit(lambda: _notify_status(case_id=case_id, event_id=event_pk))
    return ApplyResult(event=event, is_new=True)


def _notify_status(*, case_id: int, event_id: int) -> None:
    from django.urls import reverse

    from qifu.notifications.services import notify

    case = ExternalCase.objects.select_related("connector").get(pk=case_id)
    event = ExternalCaseEvent.objects.get(pk=event_id)
    users = User.objects.filter(is_active=True, enterprise_id=case.enterprise_id)
    title = f"{case.connector.name}办件{case.get_status_display()}"
    body = f"办件 {case.external_id}（事项 {case.matter_code}）：{event.get_status_display()}"
    if event.status_text:
        body += f"，{event.status_text}"
    important = {CaseStatus.SUPPLEMENT, CaseStatus.APPROVED, CaseStatus.REJECTED}
    channels = ("inbox", "sms") if event.status in important else ("inbox",)
    notify(
        users=users,
        code="generic",
        context={"title": title, "body": body + "。"},
        url=reverse("connectors:mine"),
        channels=channels,
    )
