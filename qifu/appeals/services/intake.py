"""录入: an enterprise files an appeal, platform staff record one received by phone or in person,
an outside system (Open311) hands one over, possibly before its enterprise is known."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from qifu.accounts.access import is_platform_staff
from qifu.accounts.models import Enterprise, User
from qifu.appeals.models import Appeal, AppealAction, AppealCategory, Channel, Stage
from qifu.appeals.services.common import send_notifications
from qifu.appeals.workflow import PROCESS


def next_number(received_at: dt.datetime, pk: int) -> str:
    """诉求编号: SQ + the day received + the row number."""
    local = timezone.localtime(received_at)
    return f"SQ{local:%Y%m%d}{pk:07d}"[:20]


def appeal_file(
    *,
    user: User,
    title: str,
    content: str,
    category: AppealCategory,
    contact_name: str = "",
    contact_phone: str = "",
    enterprise: Enterprise | None = None,
    received_at: dt.datetime | None = None,
    channel: str | None = None,
    idempotency_key: str | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    reported_enterprise: str = "",
    reported_credit_code: str = "",
    enterprise_pending: bool = False,
) -> tuple[Appeal, bool]:
    """File an appeal (enterprise) or record one received by phone or in person (platform staff).

    Returns (appeal, created); a repeated idempotency key returns the first appeal unchanged.
    `enterprise_pending` (an outside system's report without an identified enterprise) leaves
    the enterprise to be linked during 研判.
    """
    now = timezone.now()
    staff = is_platform_staff(user) and not user.enterprise_id
    errors: dict[str, str] = {}
    if staff:
        if enterprise is None and not enterprise_pending:
            errors["enterprise"] = "请选择诉求企业（统一社会信用代码）。"
        received = received_at or now
        if received > now + dt.timedelta(minutes=5):
            errors["received_at"] = "受理时间不能晚于当前时间。"
        action = AppealAction.RECORD
        chosen_channel = channel or Channel.PHONE
    else:
        if not user.enterprise_id:
            raise PermissionDenied("只有企业用户或平台工作人员可以提交诉求。")
        enterprise = user.enterprise
        received = now
        action = AppealAction.FILE
        chosen_channel = channel or Channel.WEB
    if chosen_channel not in Channel.values:
        errors["channel"] = "未知的受理渠道。"
    if not title.strip():
        errors["title"] = "请填写标题。"
    if not content.strip():
        errors["content"] = "请填写诉求内容。"
    if not category.is_active:
        errors["category"] = "该类别已停用，请选择其他类别。"
    if errors:
        raise ValidationError(errors)

    if idempotency_key:
        existing = Appeal.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False

    appeal = Appeal(
        number=f"tmp-{now.timestamp()}-{user.pk}"[:20],
        enterprise=enterprise,
        reported_enterprise=reported_enterprise.strip()[:200],
        reported_credit_code=reported_credit_code.strip()[:30],
        created_by=user,
        channel=chosen_channel,
        category=category,
        title=title.strip()[:100],
        content=content.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        address=address,
        latitude=latitude,
        longitude=longitude,
        received_at=received,
        idempotency_key=idempotency_key or None,
        search_text=f"{title}\n{content}",
    )
    try:
        with PROCESS.start(appeal, action, actor=user, state=Stage.RECEIVED) as step:
            appeal.save()
            appeal.number = next_number(received, appeal.pk)
            step.at = received if staff else now
            step.data = {"channel": chosen_channel}
            if enterprise is None:
                step.note = "来件未能确认企业，待研判时确认。"
            step.then(lambda: send_notifications("filed", appeal))
    except IntegrityError:
        # A concurrent retry with the same key won the race: return its appeal.
        if idempotency_key:
            existing = Appeal.objects.filter(
                created_by=user, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return existing, False
        raise
    return appeal, True


def appeal_link_enterprise(*, appeal: Appeal, user: User, enterprise: Enterprise) -> Appeal:
    """研判 identifies the enterprise of an appeal that arrived without one (Open311)."""
    if not enterprise.is_active:
        raise ValidationError({"enterprise": "该企业已注销或停用。"})
    with PROCESS.act(appeal, AppealAction.LINK, actor=user) as step:
        link_in_step(step, enterprise)
    return step.obj


def link_in_step(step: Any, enterprise: Enterprise) -> None:
    """Link the enterprise within a step already taken (the one-form 研判 + 派发)."""
    locked = step.obj
    if locked.enterprise_id == enterprise.pk:
        return
    if locked.enterprise_id is not None:
        raise ValidationError({"enterprise": "该诉求已确认企业，不能更改。"})
    locked.enterprise = enterprise
    note = f"确认诉求企业：{enterprise.name}（{enterprise.credit_code}）"
    if step.action.name == AppealAction.LINK:
        step.note = note
    else:
        step.record(AppealAction.LINK, note=note, data={"enterprise": enterprise.credit_code})


def identify_enterprise(*, credit_code: str = "", phone: str = "") -> Enterprise | None:
    """The enterprise an outside report names without doubt: its exact credit code, or a contact
    phone that belongs to exactly one enterprise (its registered contact or one of its users)."""
    from qifu.accounts.validators import normalize_credit_code

    if credit_code:
        found = Enterprise.objects.filter(
            credit_code=normalize_credit_code(credit_code), is_active=True
        ).first()
        if found is not None:
            return found
    phone = "".join(ch for ch in phone if ch.isdigit())
    if len(phone) >= 7:
        ids = set(
            Enterprise.objects.filter(contact_phone=phone, is_active=True).values_list(
                "pk", flat=True
            )
        ) | set(
            User.objects.filter(phone=phone, is_active=True, enterprise__isnull=False)
            .values_list("enterprise_id", flat=True)
            .distinct()
        )
        if len(ids) == 1:
            return Enterprise.objects.filter(pk=ids.pop(), is_active=True).first()
    return None
