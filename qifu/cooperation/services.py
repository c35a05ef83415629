"""Writes of 校企共建. Resources and needs go through review (qifu.publishing); every step of a
co-operation runs on the process table (qifu/cooperation/workflow.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from qifu.cooperation import access
from qifu.cooperation.matching import pair_reasons
from qifu.cooperation.models import (
    AgreementForm,
    Cooperation,
    CooperationStatus,
    Resource,
    Side,
    TechNeed,
)
from qifu.cooperation.workflow import PROCESS
from qifu.core.text import no_control_characters
from qifu.core.workflow import TransitionNotAllowed
from qifu.market.services import reviewing_agency
from qifu.providers.access import provider_for
from qifu.providers.models import ACADEMIC_KINDS
from qifu.providers.services import member_users
from qifu.publishing.services import publication_create, publication_update

S = CooperationStatus
RESOURCE_FIELDS = Resource.CONTENT_FIELDS
NEED_FIELDS = TechNeed.CONTENT_FIELDS


def resource_create(*, author: Any, **fields: Any) -> Resource:
    """Write a resource as a draft of the author's university or institute."""
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    provider = provider_for(author)
    if provider is None or provider.kind not in ACADEMIC_KINDS:
        raise PermissionDenied("只有已入驻的高校和科研院所可以发布高校资源。")
    resource = Resource(provider=provider, provider_department=reviewing_agency(), **fields)
    return publication_create(item=resource, author=author)


def resource_update(*, resource: Resource, actor: Any, **changes: Any) -> Resource:
    unknown = set(changes) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return publication_update(item=resource, actor=actor, changes=changes)


def need_create(*, author: Any, **fields: Any) -> TechNeed:
    """Write a technical need as a draft of the author's enterprise."""
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if not getattr(author, "is_authenticated", False) or not author.enterprise_id:
        raise PermissionDenied("只有企业用户可以发布技术需求。")
    need = TechNeed(
        enterprise_id=author.enterprise_id, provider_department=reviewing_agency(), **fields
    )
    return publication_create(item=need, author=author)


def need_update(*, need: TechNeed, actor: Any, **changes: Any) -> TechNeed:
    unknown = set(changes) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return publication_update(item=need, actor=actor, changes=changes)


# --- Co-operations --------------------------------------------------------------------------


def _text(name: str, value: str | None, limit: int, *, required: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({name: [required]})
    if len(text) > limit:
        raise ValidationError({name: [f"不能超过 {limit} 字。"]})
    try:
        no_control_characters(text)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from exc
    return text


def _other_side(cooperation: Cooperation, side: str) -> list[Any]:
    from qifu.accounts.models import User

    enterprise_users = list(User.objects.filter(enterprise=cooperation.enterprise, is_active=True))
    provider_users = member_users(cooperation.provider)
    if side == Side.ENTERPRISE:
        return provider_users
    if side == Side.PROVIDER:
        return enterprise_users
    return enterprise_users + provider_users


def invited_users(cooperation: Cooperation) -> list[Any]:
    """Who answers a proposal: the side that did not propose it (both, when the platform did)."""
    return _other_side(cooperation, cooperation.proposed_by)


def _side_of(user: Any, cooperation: Cooperation) -> str:
    if access.is_party_enterprise(user, cooperation):
        return Side.ENTERPRISE
    if access.is_party_provider(user, cooperation):
        return Side.PROVIDER
    return Side.PLATFORM


def cooperation_propose(
    *, user: Any, need: TechNeed | None = None, resource: Resource | None = None, note: str = ""
) -> Cooperation:
    """Propose a co-operation from a suggested pair (or one side's item): the enterprise from a
    resource, the university from a need, the platform introducing both. The other side is
    asked to answer within the configured working days."""
    note = _text("note", note, 500)
    if need is None and resource is None:
        raise ValidationError({"__all__": ["请选择企业需求或高校资源。"]})
    if need is not None and not need.is_public:
        raise ValidationError({"need": ["该需求未发布或已下线。"]})
    if resource is not None and not resource.is_public:
        raise ValidationError({"resource": ["该资源未发布或已下线。"]})
    if need is not None:
        enterprise = need.enterprise
    elif getattr(user, "enterprise_id", None):
        enterprise = user.enterprise
    else:
        raise ValidationError({"need": ["请选择要对接的企业需求。"]})
    provider = resource.provider if resource is not None else provider_for(user)
    if provider is None:
        raise ValidationError({"resource": ["请选择要对接的高校资源。"]})
    if provider.kind not in ACADEMIC_KINDS or not provider.is_approved:
        raise ValidationError({"resource": ["只能与已入驻的高校和科研院所对接。"]})
    cooperation = Cooperation(
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        enterprise=enterprise,
        provider=provider,
        need=need,
        resource=resource,
        title=(
            f"{need.title} × {resource.title}"
            if need and resource
            else (need.title if need else resource.title if resource else "")
        )[:200],
        proposed_by=Side.PLATFORM,
        reasons=pair_reasons(need, resource) if need and resource else [],
    )
    side = _side_of(user, cooperation)
    if side == Side.PLATFORM and not access.is_cooperation_staff(user):
        raise PermissionDenied("只有合作双方或平台工作人员可以发起对接。")
    if side == Side.PLATFORM and (need is None or resource is None):
        raise ValidationError({"__all__": ["平台推荐对接须同时选择企业需求和高校资源。"]})
    cooperation.proposed_by = side
    if need is not None and resource is not None:
        already = Cooperation.objects.filter(
            need=need,
            resource=resource,
            status__in=[S.PROPOSED, S.NEGOTIATING, S.AGREED],
        ).first()
        if already is not None:
            return already
    try:
        with PROCESS.start(cooperation, "propose", actor=user, state=S.PROPOSED) as step:
            cooperation.save()
            local = timezone.localtime(step.now)
            cooperation.number = f"XQ{local:%Y%m%d}{cooperation.pk:06d}"[:20]
            step.note = note
            step.data = {
                "need": need.pk if need else None,
                "resource": resource.pk if resource else None,
            }
            step.notify(
                lambda: _other_side(cooperation, side),
                "新的校企对接邀请",
                lambda: (
                    f"{cooperation.title}（{cooperation.number}）：请在"
                    f"{timezone.localtime(cooperation.respond_due_at):%m月%d日}前答复。"
                ),
            )
    except IntegrityError as exc:
        raise TransitionNotAllowed("这对需求和资源已在对接中。") from exc
    return cooperation


def cooperation_accept(*, user: Any, cooperation: Cooperation, note: str = "") -> Cooperation:
    note = _text("note", note, 500)
    with PROCESS.act(cooperation, "accept", actor=user) as step:
        step.note = note
        step.notify(
            lambda: _other_side(step.obj, _side_of(user, step.obj)),
            "对接邀请已同意",
            f"{step.obj.title}（{step.obj.number}）已进入洽谈。",
        )
    return step.obj  # type: ignore[no-any-return]


def cooperation_decline(*, user: Any, cooperation: Cooperation, reason: str) -> Cooperation:
    reason = _text("reason", reason, 500, required="请说明婉拒的原因。")
    with PROCESS.act(cooperation, "decline", actor=user) as step:
        step.note = reason
        step.notify(
            lambda: _other_side(step.obj, _side_of(user, step.obj)),
            "对接邀请被婉拒",
            f"{step.obj.title}（{step.obj.number}）：{reason}",
        )
    return step.obj  # type: ignore[no-any-return]


def cooperation_progress(*, user: Any, cooperation: Cooperation, note: str) -> Cooperation:
    note = _text("note", note, 1000, required="请填写进展情况。")
    with PROCESS.act(cooperation, "progress", actor=user) as step:
        step.note = note
    return step.obj  # type: ignore[no-any-return]


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({"amount": ["请填写有效的金额。"]}) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
        raise ValidationError({"amount": ["合同金额应在 0 到 1 亿万元之间。"]})
    return amount.quantize(Decimal("0.01"))


def cooperation_agree(
    *,
    user: Any,
    cooperation: Cooperation,
    form: str,
    agreed_on: dt.date | None,
    summary: str,
    amount: Any = None,
) -> Cooperation:
    """Record the agreement (签约): its form, date, amount and main terms."""
    errors: dict[str, list[str]] = {}
    if form not in AgreementForm.values:
        errors["form"] = ["请选择合作形式。"]
    if agreed_on is None:
        errors["agreed_on"] = ["请填写签约日期。"]
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = ["签约日期不能晚于今天。"]
    elif agreed_on.year < 2000:
        errors["agreed_on"] = ["请填写有效的签约日期。"]
    if errors:
        raise ValidationError(errors)
    summary = _text("summary", summary, 2000, required="请填写协议要点。")
    value = _amount(amount)
    with PROCESS.act(cooperation, "agree", actor=user) as step:
        locked = step.obj
        locked.agreement_form = form
        locked.agreed_on = agreed_on
        locked.agreement_amount = value
        locked.agreement_summary = summary
        step.note = f"{AgreementForm(form).label}" + (
            f"，合同金额 {value.normalize():f} 万元" if value is not None else ""
        )
        step.data = {"form": form, "amount": str(value) if value is not None else None}
        step.notify(
            lambda: _other_side(locked, _side_of(user, locked)),
            "校企合作已签约",
            f"{locked.title}（{locked.number}）已登记合作协议。",
        )
    return locked  # type: ignore[no-any-return]


def cooperation_outcome(
    *, user: Any, cooperation: Cooperation, outcome: str, completed_on: dt.date | None = None
) -> Cooperation:
    outcome = _text("outcome", outcome, 2000, required="请填写合作成效。")
    day = completed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"completed_on": ["见效日期不能晚于今天。"]})
    with PROCESS.act(cooperation, "outcome", actor=user) as step:
        if step.obj.agreed_on and day < step.obj.agreed_on:
            raise ValidationError({"completed_on": ["见效日期不能早于签约日期。"]})
        step.obj.outcome = outcome
        step.obj.completed_on = day
        step.note = outcome
    return step.obj  # type: ignore[no-any-return]


def cooperation_terminate(*, user: Any, cooperation: Cooperation, reason: str) -> Cooperation:
    reason = _text("reason", reason, 500, required="请说明终止的原因。")
    with PROCESS.act(cooperation, "terminate", actor=user) as step:
        step.note = reason
        step.notify(
            lambda: _other_side(step.obj, _side_of(user, step.obj)),
            "校企合作已终止",
            f"{step.obj.title}（{step.obj.number}）：{reason}",
        )
    return step.obj  # type: ignore[no-any-return]
