"""The enterprise's profile (企业信息): every member reads it, the enterprise admin edits it;
the key fields (legal representative, their ID number, the contact phone) change only with an
SMS code sent to the admin's own phone, and every change is audited with masked values."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qifu.accounts.models import Enterprise, PhoneCodePurpose, Role, User
from qifu.accounts.services import (
    phone_code_send,
    phone_code_verify,
)
from qifu.accounts.validators import validate_mobile
from qifu.core.audit import audit_record
from qifu.core.masking import mask_id_number, mask_name, mask_phone
from qifu.core.models import AuditOutcome
from qifu.workspace.services.members import check_enterprise_admin

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
