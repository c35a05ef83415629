"""Writes to the message board: leave, answer, turn into a work order; every one audited."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Enterprise, PhoneCodePurpose, User
from qifu.accounts.services import phone_code_send, phone_code_verify
from qifu.accounts.validators import normalize_credit_code, validate_credit_code, validate_mobile
from qifu.appeals.models import Appeal, AppealCategory, Channel
from qifu.appeals.services import appeal_file, appeal_note, is_platform_staff
from qifu.board.models import Message, MessageStatus
from qifu.core.audit import audit_record
from qifu.core.masking import mask_phone


def _check_staff(user: Any) -> None:
    if not (user is not None and user.is_authenticated and is_platform_staff(user)):
        raise PermissionDenied("只有平台工作人员可以处理留言。")


def message_code_send(*, phone: str) -> None:
    """Send a verification code to a visitor's phone (at most one a minute)."""
    phone = (phone or "").strip()
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    phone_code_send(phone=phone, purpose=PhoneCodePurpose.VERIFY)


def message_lookup_code_send(*, number: str, phone: str) -> None:
    """Send a code to look up a message; an unknown number behaves the same, revealing nothing."""
    phone = (phone or "").strip()
    try:
        validate_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    exists = Message.objects.filter(number=number.strip().upper(), phone=phone).exists()
    phone_code_send(phone=phone, purpose=PhoneCodePurpose.VERIFY, deliver=exists)


def message_lookup(*, number: str, phone: str, code: str) -> Message:
    """A visitor's message, once the phone it was left with is proven by an SMS code."""
    if not (code or "").strip():
        raise ValidationError({"code": "请填写短信验证码。"})
    phone_code_verify(phone=(phone or "").strip(), purpose=PhoneCodePurpose.VERIFY, code=code)
    message = Message.objects.filter(number=number.strip().upper(), phone=phone.strip()).first()
    if message is None:
        raise ValidationError({"number": "未找到该留言，请核对留言编号和手机号。"})
    return message


def _number(message: Message) -> str:
    return f"LY{timezone.localtime(message.created_at):%Y%m%d}{message.pk:06d}"[:20]


def message_leave(
    *,
    user: User | None,
    title: str,
    content: str,
    category: AppealCategory | None = None,
    visitor_name: str = "",
    company_name: str = "",
    credit_code: str = "",
    phone: str = "",
    code: str = "",
) -> Message:
    """Leave a message: an enterprise user as its enterprise, anyone else with a verified phone."""
    signed_in = user is not None and user.is_authenticated
    as_enterprise = bool(signed_in and user is not None and user.enterprise_id)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写标题。"
    if not content.strip():
        errors["content"] = "请填写留言内容。"
    if category is not None and not category.is_active:
        errors["category"] = "该类别已停用，请选择其他类别。"
    phone = (phone or "").strip()
    credit_code = normalize_credit_code(credit_code)
    if not as_enterprise:
        if not visitor_name.strip():
            errors["visitor_name"] = "请填写姓名。"
        if not company_name.strip():
            errors["company_name"] = "请填写企业名称。"
        if credit_code:
            try:
                validate_credit_code(credit_code)
            except ValidationError as exc:
                errors["credit_code"] = exc.messages[0]
        try:
            validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages[0]
        if not (code or "").strip():
            errors["code"] = "请填写短信验证码。"
    if errors:
        raise ValidationError(errors)
    if not as_enterprise:
        # Consumes the code; a wrong one raises on the `code` field.
        phone_code_verify(phone=phone, purpose=PhoneCodePurpose.VERIFY, code=code)
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            number=f"tmp-{now.timestamp()}"[:20],
            enterprise=user.enterprise if as_enterprise and user is not None else None,
            created_by=user if signed_in else None,
            visitor_name="" if as_enterprise else visitor_name.strip()[:50],
            company_name="" if as_enterprise else company_name.strip()[:200],
            credit_code="" if as_enterprise else credit_code,
            phone=(user.phone or "") if as_enterprise and user is not None else phone,
            phone_verified_at=None if as_enterprise else now,
            title=title.strip()[:100],
            content=content.strip(),
            category=category,
        )
        message.number = _number(message)
        message.save(update_fields=["number"])
        audit_record(
            action="board.message.leave",
            actor=user if signed_in else None,
            target=message,
            summary=f"{message.number} {message.title}",
            data={"visitor": not as_enterprise, "phone": mask_phone(message.phone)},
        )
    return message


def _tell_author(message: Message, *, title: str, body: str) -> None:
    """In-app for a user with an account; SMS for a visitor (after commit)."""
    from qifu.notifications.services import notify, sms_send_now

    author = message.created_by
    if author is not None and author.is_active:
        notify(
            users=[author],
            code="generic",
            context={"title": title, "body": body},
            url=reverse("board:detail", args=[message.pk]),
            channels=["inbox"],
        )
    elif message.phone:
        phone = message.phone
        text = (
            f"【{settings.PLATFORM_NAME}】{body} "
            f"可凭留言编号{message.number}和手机验证码在平台查询。"
        )
        transaction.on_commit(lambda: sms_send_now(phone=phone, text=text))


def message_answer(*, message: Message, user: User, answer: str) -> Message:
    """Staff answer a message directly; the author is told."""
    _check_staff(user)
    if not answer.strip():
        raise ValidationError({"answer": "请填写答复内容。"})
    with transaction.atomic():
        locked = (
            Message.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .get(pk=message.pk)
        )
        if locked.status != MessageStatus.NEW:
            raise ValidationError({"answer": "该留言已答复或已转为办件，请刷新后查看。"})
        locked.answer = answer.strip()
        locked.answered_by = user
        locked.answered_at = timezone.now()
        locked.status = MessageStatus.ANSWERED
        locked.save(update_fields=["answer", "answered_by", "answered_at", "status", "updated_at"])
        audit_record(
            action="board.message.answer", actor=user, target=locked, summary=locked.number
        )
        _tell_author(
            locked,
            title=f"您的留言“{locked.title}”已答复",
            body=f"您的留言{locked.number}已答复：{locked.answer[:60]}",
        )
    return locked


def message_convert(
    *,
    message: Message,
    user: User,
    category: AppealCategory,
    enterprise: Enterprise,
    title: str = "",
    content: str = "",
) -> Appeal:
    """办件表单: turn a message into an appeal (channel 我要留言), linked both ways."""
    _check_staff(user)
    with transaction.atomic():
        locked = (
            Message.objects.select_for_update(of=("self",))
            .select_related("created_by")
            .get(pk=message.pk)
        )
        if locked.status == MessageStatus.CONVERTED:
            raise ValidationError({"__all__": "该留言已转为办件，请刷新后查看。"})
        body = (content or locked.content).strip()
        appeal, _ = appeal_file(
            user=user,
            title=(title or locked.title).strip(),
            content=f"{body}\n\n（来源：我要留言 {locked.number}）",
            category=category,
            contact_name=locked.visitor_name
            or (locked.created_by.real_name if locked.created_by else ""),
            contact_phone=locked.phone,
            enterprise=enterprise,
            # The measures count from when the platform received it: when the message was left.
            received_at=locked.created_at,
            channel=Channel.MESSAGE,
        )
        appeal_note(appeal=appeal, user=user, note=f"由留言 {locked.number} 转为办件。")
        locked.appeal = appeal
        locked.status = MessageStatus.CONVERTED
        locked.converted_by = user
        locked.converted_at = timezone.now()
        if locked.category_id is None:
            locked.category = category
        locked.save(
            update_fields=[
                "appeal",
                "status",
                "converted_by",
                "converted_at",
                "category",
                "updated_at",
            ]
        )
        audit_record(
            action="board.message.convert",
            actor=user,
            target=locked,
            summary=f"{locked.number} → {appeal.number}",
            data={"appeal": appeal.number},
        )
        _tell_author(
            locked,
            title=f"您的留言“{locked.title}”已转为诉求办件",
            body=f"您的留言{locked.number}已转为诉求{appeal.number}，将派发部门限期办理。",
        )
    return appeal
