"""Writes of providers: registration, review, members. Every step runs on the process table
(qifu/providers/workflow.py): locked row, history, audit and outbox in one transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from qifu.accounts.models import Department, Role, User
from qifu.accounts.services import role_revoke, user_create
from qifu.accounts.validators import normalize_credit_code, validate_credit_code
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.providers.access import SECTION, can_review_providers, forget_membership
from qifu.providers.models import (
    Provider,
    ProviderDocument,
    ProviderKind,
    ProviderMember,
    ProviderStatus,
)
from qifu.providers.workflow import PROCESS

MAX_DOCUMENTS = 5


def reviewer_users() -> list[User]:
    """Who reviews providers: platform staff and the staff of the 政策诉求 agency."""
    sections = [d.pk for d in Department.objects.all() if SECTION in (d.sections or [])]
    users = User.objects.filter(
        is_active=True,
        role_grants__role__in=[Role.PLATFORM_STAFF, Role.DEPARTMENT_ADMIN, Role.LIAISON],
    ).select_related("department")
    return [
        u
        for u in users.distinct()
        if u.has_role(Role.PLATFORM_STAFF) or u.department_id in sections
    ]


def admin_users(provider: Provider) -> list[User]:
    return [
        m.user
        for m in provider.members.select_related("user").filter(is_admin=True, user__is_active=True)
    ]


def member_users(provider: Provider) -> list[User]:
    """Every active member of a provider (the recipients of its orders' notices)."""
    return [m.user for m in provider.members.select_related("user").filter(user__is_active=True)]


def _check_account(*, username: str, phone: str, password: str, errors: dict[str, Any]) -> None:
    if User.objects.filter(username__iexact=username).exists():
        errors["username"] = ["该用户名已被使用，请换一个。"]
    if phone and User.objects.filter(phone=phone).exists():
        errors["phone"] = ["该手机号已绑定其他账号。"]
    if not password:
        return
    try:
        validate_password(password, User(username=username, phone=phone or None))
    except ValidationError as exc:
        errors["password"] = exc.messages


def _store_document(*, provider: Provider, upload: Any, uploaded_by: User | None) -> None:
    kind = attachment_check(upload)
    ProviderDocument.objects.create(
        provider=provider,
        file=upload,
        original_name=(getattr(upload, "name", "") or "资质证明")[:200],
        content_type=ATTACHMENT_MIME.get(kind, "application/octet-stream"),
        size=upload.size,
        uploaded_by=uploaded_by,
    )


def provider_register(
    *,
    name: str,
    credit_code: str,
    kind: str,
    contact_name: str,
    contact_phone: str,
    qualification: Any,
    username: str,
    password: str,
    real_name: str,
    phone: str = "",
    code: str = "",
    address: str = "",
    description: str = "",
    short_name: str = "",
    phone_verified: bool = False,
) -> Provider:
    """An organisation applies to join: the provider (待审核) and its administrator's account.

    As for enterprises, the SMS code proves the phone before anything is looked up, so that
    without a valid code the answer never tells whether a name, code or phone is registered
    (`phone_verified` only for the demo data and the admin, which have no phone at hand).
    """
    from qifu.accounts.models import PhoneCodePurpose
    from qifu.accounts.services import phone_code_verify

    credit_code = normalize_credit_code(credit_code)
    name = (name or "").strip()
    errors: dict[str, Any] = {}
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        errors["credit_code"] = exc.messages
    if not phone:
        errors["phone"] = ["请填写管理员手机号。"]
    try:
        validate_password(password, User(username=username, phone=phone or None))
    except ValidationError as exc:
        errors["password"] = exc.messages
    if kind not in ProviderKind.values:
        errors["kind"] = ["请选择机构类型。"]
    if qualification is None:
        errors["qualification"] = ["请上传资质证明（营业执照、金融许可证或执业许可证等）。"]
    else:
        try:
            attachment_check(qualification)
        except ValidationError as exc:
            errors["qualification"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if not phone_verified:
        code_error: ValidationError | None = None
        with transaction.atomic():
            try:
                phone_code_verify(phone=phone, purpose=PhoneCodePurpose.REGISTER, code=code)
            except ValidationError as exc:
                code_error = exc  # leave the block normally so the failed attempt counts
        if code_error is not None:
            raise ValidationError({"code": code_error.messages})
    if Provider.objects.filter(credit_code=credit_code).exists():
        errors["credit_code"] = ["该机构已申请入驻，请联系本机构管理员添加账号。"]
    if Provider.objects.filter(name=name).exists():
        errors["name"] = ["该机构名称已存在。"]
    _check_account(username=username, phone=phone, password="", errors=errors)  # nosec B106
    if errors:
        raise ValidationError(errors)

    provider = Provider(
        name=name,
        short_name=short_name.strip(),
        credit_code=credit_code,
        kind=kind,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        address=address.strip(),
        description=description.strip(),
    )
    provider.full_clean()
    with transaction.atomic():
        user = user_create(
            username=username,
            password=password,
            real_name=real_name,
            phone=phone or None,
            roles=[Role.PROVIDER],
        )
        user.organisation_name = name[:200]
        user.save(update_fields=["organisation_name"])
        with PROCESS.start(
            provider, "register", actor=user, state=ProviderStatus.SUBMITTED
        ) as step:
            provider.submitted_at = step.now
            try:
                with transaction.atomic():
                    provider.save()
            except IntegrityError as exc:  # registered by someone else a moment ago
                raise ValidationError({"credit_code": "该机构已申请入驻。"}) from exc
            ProviderMember.objects.create(user=user, provider=provider, is_admin=True)
            _store_document(provider=provider, upload=qualification, uploaded_by=user)
            step.data = {"kind": kind}
            step.notify(
                reviewer_users,
                "服务机构申请入驻",
                f"{name}（{provider.get_kind_display()}）申请入驻平台，请审核。",
                url=reverse("providers:review_detail", args=[provider.pk]),
            )
    forget_membership(user)
    return provider


def _decide(
    provider: Provider, action: str, *, actor: Any, note: str = "", require_note: bool = False
) -> Provider:
    note = (note or "").strip()
    if require_note and not note:
        raise ValidationError({"note": "请填写理由。"})
    with PROCESS.act(provider, action, actor=actor) as step:
        locked = step.obj
        locked.reviewed_at = step.now
        locked.reviewed_by = actor
        locked.review_comment = note
        step.note = note
        label = PROCESS.actions[action].label
        step.notify(
            lambda: admin_users(locked),
            f"入驻申请：{label}",
            f"{locked.name}：{label}。" + (f"说明：{note}" if note else ""),
            url=reverse("providers:mine"),
        )
    return locked  # type: ignore[no-any-return]


def provider_approve(*, provider: Provider, actor: Any, note: str = "") -> Provider:
    """Admit a provider (审核通过): its members can work from now on."""
    return _decide(provider, "approve", actor=actor, note=note)


def provider_reject(*, provider: Provider, actor: Any, reason: str) -> Provider:
    """Refuse an application with the reason (审核不通过)."""
    return _decide(provider, "reject", actor=actor, note=reason, require_note=True)


def provider_suspend(*, provider: Provider, actor: Any, reason: str) -> Provider:
    """Suspend an admitted provider with the reason; its members lose access until reinstated."""
    return _decide(provider, "suspend", actor=actor, note=reason, require_note=True)


def provider_reinstate(*, provider: Provider, actor: Any, note: str = "") -> Provider:
    return _decide(provider, "reinstate", actor=actor, note=note)


def provider_resubmit(*, provider: Provider, actor: Any, qualification: Any = None) -> Provider:
    """A rejected provider applies again, optionally with a new qualification document."""
    if qualification is not None:
        try:
            attachment_check(qualification)
        except ValidationError as exc:
            raise ValidationError({"qualification": exc.messages}) from exc
    with PROCESS.act(provider, "resubmit", actor=actor) as step:
        locked = step.obj
        locked.submitted_at = step.now
        if qualification is not None:
            if locked.documents.count() >= MAX_DOCUMENTS:
                raise ValidationError({"qualification": f"资质材料最多{MAX_DOCUMENTS}份。"})
            _store_document(provider=locked, upload=qualification, uploaded_by=actor)
        step.notify(
            reviewer_users,
            "服务机构重新申请入驻",
            f"{locked.name}已重新提交入驻申请，请审核。",
            url=reverse("providers:review_detail", args=[locked.pk]),
        )
    return locked  # type: ignore[no-any-return]


def provider_member_add(
    *,
    provider: Provider,
    actor: Any,
    username: str,
    real_name: str,
    password: str,
    phone: str = "",
    title: str = "",
    is_admin: bool = False,
) -> User:
    """The provider's administrator adds a member with an initial password."""
    errors: dict[str, Any] = {}
    if not (real_name or "").strip():
        errors["real_name"] = ["请填写姓名。"]
    _check_account(username=username, phone=phone, password=password, errors=errors)
    if errors:
        raise ValidationError(errors)
    with PROCESS.act(provider, "member_add", actor=actor) as step:
        locked = step.obj
        user = user_create(
            username=username,
            password=password,
            real_name=real_name.strip(),
            phone=phone or None,
            roles=[Role.PROVIDER],
            created_by=actor,
        )
        user.organisation_name = locked.name[:200]
        user.save(update_fields=["organisation_name"])
        ProviderMember.objects.create(
            user=user, provider=locked, is_admin=is_admin, title=title.strip(), added_by=actor
        )
        step.note = f"{real_name.strip()}（{username}）"
        step.data = {"username": username, "is_admin": is_admin}
    return user


def provider_member_remove(*, provider: Provider, actor: Any, member: ProviderMember) -> None:
    """Remove a member: the account is deactivated and loses the provider role."""
    if member.provider_id != provider.pk:
        raise PermissionDenied("该成员不属于本机构。")
    if member.user_id == getattr(actor, "pk", None):
        raise ValidationError("不能移除自己。")
    with PROCESS.act(provider, "member_remove", actor=actor) as step:
        user = member.user
        step.note = f"{user.real_name or user.username}（{user.username}）"
        step.data = {"username": user.username}
        member.delete()
        role_revoke(user=user, role=Role.PROVIDER, revoked_by=actor)
        user.is_active = False
        user.save(update_fields=["is_active"])


def check_reviewer(user: Any) -> None:
    if not can_review_providers(user):
        raise PermissionDenied("只有平台工作人员或政策诉求版块的管理机构可以审核服务机构。")
