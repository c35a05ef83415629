"""Writes of the 服务超市. Offerings go through review (qifu.publishing); every step of an order
runs on the process table (qifu/market/workflow.py): locked row, history, audit and the
notifications in one transaction."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise
from qifu.core.workflow import TransitionNotAllowed
from qifu.market.access import is_market_staff
from qifu.market.models import (
    Category,
    Complaint,
    ComplaintStatus,
    Draw,
    Offering,
    Order,
    OrderStatus,
    Quote,
    SelectionMethod,
    draw_index,
)
from qifu.market.selectors import qualified_providers
from qifu.market.workflow import PROCESS
from qifu.providers.access import SECTION, provider_for
from qifu.providers.services import member_users, reviewer_users
from qifu.publishing.services import publication_create, publication_update

OFFERING_FIELDS = Offering.CONTENT_FIELDS
S = OrderStatus


def reviewing_agency() -> Department:
    """The agency that runs the 政策诉求 section reviews offerings (article 5: 工信局)."""
    for department in Department.objects.filter(is_active=True).order_by("kind", "pk"):
        if SECTION in (department.sections or []):
            return department
    raise ImproperlyConfigured("没有负责“政策诉求”版块的部门。")


# --- Offerings ------------------------------------------------------------------------------


def offering_create(*, author: Any, **fields: Any) -> Offering:
    """Write an offering as a draft of the author's provider; it is public only after review."""
    unknown = set(fields) - set(OFFERING_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    provider = provider_for(author)
    if provider is None:
        raise PermissionDenied("只有已入驻的服务机构可以发布服务。")
    offering = Offering(provider=provider, provider_department=reviewing_agency(), **fields)
    return publication_create(item=offering, author=author)


def offering_update(*, offering: Offering, actor: Any, **changes: Any) -> Offering:
    """Edit an offering; changed content of a published offering is reviewed again."""
    unknown = set(changes) - set(OFFERING_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    return publication_update(item=offering, actor=actor, changes=changes)


# --- Orders ---------------------------------------------------------------------------------


def _clean(value: str | None, limit: int) -> str:
    return (value or "").strip()[: limit + 1]


def _new_order(user: Any, **fields: Any) -> Order:
    if not getattr(user, "is_authenticated", False) or not user.enterprise_id:
        raise PermissionDenied("只有企业用户可以下单。")
    enterprise = Enterprise.objects.get(pk=user.enterprise_id)
    order = Order(
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        enterprise=enterprise,
        created_by=user,
        contact_name=_clean(fields.pop("contact_name", ""), 50) or user.real_name or user.username,
        contact_phone=_clean(fields.pop("contact_phone", ""), 20) or (user.phone or ""),
        **fields,
    )
    errors: dict[str, list[str]] = {}
    if not order.title:
        errors["title"] = ["请填写需求名称。"]
    if not order.description:
        errors["description"] = ["请写明需要的服务内容。"]
    if not order.contact_phone:
        errors["contact_phone"] = ["请填写联系电话。"]
    try:
        order.full_clean(exclude=["number", "status", "enterprise", "created_by"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in errors:  # one message per field: ours says what to do
                errors[name] = messages
    if errors:
        raise ValidationError(errors)
    return order


def _existing(user: Any, key: str) -> Order | None:
    return Order.objects.filter(created_by=user, idempotency_key=key).first() if key else None


def _numbered(order: Order) -> None:
    local = timezone.localtime(order.created_at or timezone.now())
    order.number = f"FW{local:%Y%m%d}{order.pk:06d}"[:20]


def _tell_provider(step: Any, order: Order, title: str) -> None:
    provider = order.provider
    assert provider is not None  # a provider was chosen before it is told
    step.notify(
        lambda: member_users(provider),
        title,
        lambda: (
            f"{order.enterprise.name}的服务订单“{order.title}”（{order.number}）请在"
            f"{timezone.localtime(order.accept_due_at):%m月%d日 %H:%M}前接单。"
            if order.accept_due_at
            else f"{order.enterprise.name}的服务订单“{order.title}”（{order.number}）。"
        ),
    )


def order_direct(
    *,
    user: Any,
    offering: Offering,
    description: str,
    title: str = "",
    budget: Decimal | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    idempotency_key: str = "",
) -> Order:
    """Order a published offering directly (直接选择); the provider is asked to accept it."""
    key = idempotency_key.strip()[:64]
    existing = _existing(user, key)
    if existing is not None:
        return existing
    if not offering.is_public or not offering.provider.is_approved:
        raise ValidationError({"offering": ["该服务已下架，不能下单。"]})
    order = _new_order(
        user,
        method=SelectionMethod.DIRECT,
        category=offering.category,
        offering=offering,
        provider=offering.provider,
        title=_clean(title, 100) or offering.title[:100],
        description=_clean(description, 3000),
        budget=budget,
        contact_name=contact_name,
        contact_phone=contact_phone,
        idempotency_key=key,
    )
    try:
        with PROCESS.start(order, "order", actor=user, state=S.SUBMITTED) as step:
            order.save()
            _numbered(order)
            step.data = {"offering": offering.pk, "provider": offering.provider_id}
            _tell_provider(step, order, "新的服务订单")
    except IntegrityError:
        again = _existing(user, key)
        if again is not None:
            return again
        raise
    return order


def need_post(
    *,
    user: Any,
    category: str,
    method: str,
    title: str,
    description: str,
    budget: Decimal | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    idempotency_key: str = "",
) -> Order:
    """Post a need; the provider is then chosen among quotes or drawn at random (选择方式)."""
    key = idempotency_key.strip()[:64]
    existing = _existing(user, key)
    if existing is not None:
        return existing
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = ["请选择服务类别。"]
    if method not in (SelectionMethod.QUOTE, SelectionMethod.DRAW):
        errors["method"] = ["请选择竞价选择或随机抽取。"]
    if errors:
        raise ValidationError(errors)
    if method == SelectionMethod.DRAW and not qualified_providers(category=category):
        raise ValidationError({"category": ["该类别暂无入驻机构，无法随机抽取。"]})
    order = _new_order(
        user,
        method=method,
        category=category,
        title=_clean(title, 100),
        description=_clean(description, 3000),
        budget=budget,
        contact_name=contact_name,
        contact_phone=contact_phone,
        idempotency_key=key,
    )
    try:
        with PROCESS.start(order, "post", actor=user, state=S.SELECTING) as step:
            order.save()
            _numbered(order)
            step.data = {"method": method, "category": category}
            if method == SelectionMethod.QUOTE:
                step.notify(
                    lambda: [
                        u for p in qualified_providers(category=category) for u in member_users(p)
                    ],
                    "新的服务需求待报价",
                    lambda: (
                        f"{order.enterprise.name}发布了{order.get_category_display()}需求"
                        f"“{order.title}”（{order.number}），欢迎报价。"
                    ),
                )
    except IntegrityError:
        again = _existing(user, key)
        if again is not None:
            return again
        raise
    return order


def quote_submit(
    *, user: Any, order: Order, amount: Decimal | None, working_days: int | None, note: str = ""
) -> Quote:
    """A qualified provider quotes for a need (once; a second quote replaces the first)."""
    provider = provider_for(user)
    with PROCESS.act(order, "quote", actor=user) as step:
        assert provider is not None  # the table's permission requires it
        quote = Quote.objects.filter(order=step.obj, provider=provider).first() or Quote(
            order=step.obj, provider=provider
        )
        quote.amount = amount  # type: ignore[assignment]
        quote.working_days = working_days  # type: ignore[assignment]
        quote.note = _clean(note, 1000)
        quote.submitted_by = user
        quote.full_clean(exclude=["order", "provider", "submitted_by"])
        quote.save()
        step.data = {"quote": quote.pk, "amount": str(quote.amount), "days": quote.working_days}
        step.note = f"{provider.display_name}报价 {quote.amount.normalize():f} 元"
        step.notify(
            [step.obj.created_by],
            "收到新的报价",
            f"您的需求“{step.obj.title}”（{step.obj.number}）收到{provider.display_name}的报价。",
        )
    return quote


def quote_choose(*, user: Any, order: Order, quote_id: int) -> Order:
    """The enterprise chooses a quote: its provider is asked to accept at the quoted terms."""
    with PROCESS.act(order, "choose", actor=user) as step:
        locked = step.obj
        quote = (
            Quote.objects.select_related("provider")
            .filter(pk=quote_id, order=locked)
            .exclude(provider__in=locked.declined_providers.all())
            .first()
        )
        if quote is None:
            raise ValidationError({"quote": ["请选择一份有效的报价。"]})
        if not quote.provider.is_approved:
            raise ValidationError({"quote": ["该机构已暂停服务，请选择其他报价。"]})
        locked.provider = quote.provider
        locked.agreed_price = quote.amount
        locked.promised_working_days = quote.working_days
        step.note = f"选定{quote.provider.display_name}，报价 {quote.amount.normalize():f} 元"
        step.data = {"quote": quote.pk, "provider": quote.provider_id}
        _tell_provider(step, locked, "您的报价已被选定")
    return locked  # type: ignore[no-any-return]


def order_draw(*, user: Any, order: Order) -> Draw:
    """Draw a provider at random among the qualified ones (those that declined left out); the
    seed, the candidates and the result are recorded so that anyone can compute it again."""
    with PROCESS.act(order, "draw", actor=user) as step:
        locked = step.obj
        if locked.method != SelectionMethod.DRAW:
            raise TransitionNotAllowed("该需求采用竞价选择，请在报价中选定机构。")
        excluded = sorted(locked.declined_providers.values_list("pk", flat=True))
        candidates = qualified_providers(category=locked.category, excluded=excluded)
        if not candidates:
            raise ValidationError({"__all__": ["该类别暂无可抽取的入驻机构。"]})
        seed = secrets.token_hex(16)
        ids = [p.pk for p in candidates]
        chosen = candidates[draw_index(seed, ids)]
        draw = Draw.objects.create(
            order=locked,
            seed=seed,
            candidates=[{"id": p.pk, "name": p.name} for p in candidates],
            excluded_ids=excluded,
            chosen=chosen,
            drawn_at=step.now,
            drawn_by=user,
        )
        locked.provider = chosen
        step.note = f"从{len(candidates)}家入驻机构中随机抽中{chosen.display_name}"
        step.data = {"draw": draw.pk, "seed": seed, "candidates": ids, "chosen": chosen.pk}
        _tell_provider(step, locked, "您被随机抽中承接服务订单")
    return draw


def order_accept(*, user: Any, order: Order, working_days: int | None = None) -> Order:
    """The provider accepts (接单), promising to complete within a number of working days."""
    with PROCESS.act(order, "accept", actor=user) as step:
        locked = step.obj
        days = working_days or locked.promised_working_days
        if days is None and locked.offering_id:
            days = locked.offering.promised_working_days
        if days is not None and not 1 <= int(days) <= 250:
            raise ValidationError({"working_days": ["承诺时限应在 1 到 250 个工作日之间。"]})
        locked.promised_working_days = days
        step.notify(
            [locked.created_by],
            "服务机构已接单",
            lambda: (
                f"{locked.provider.display_name}已接单“{locked.title}”（{locked.number}），"
                f"承诺{timezone.localtime(locked.due_at):%Y年%m月%d日}前完成。"
            ),
        )
    return locked  # type: ignore[no-any-return]


def order_decline(*, user: Any, order: Order, reason: str) -> Order:
    """The provider declines with a reason: a need goes back to selection without it."""
    reason = _clean(reason, 500)
    if not reason:
        raise ValidationError({"reason": ["请说明不接单的原因。"]})
    with PROCESS.act(order, "decline", actor=user) as step:
        locked = step.obj
        provider = locked.provider
        locked.declined_providers.add(provider)
        if locked.method == SelectionMethod.DIRECT:
            step.go(S.DECLINED)
            body = "请选择其他服务。"
        else:
            step.go(S.SELECTING)
            locked.provider = None
            locked.agreed_price = None
            locked.promised_working_days = None
            body = "请重新选定或抽取服务机构。"
        step.note = reason
        step.notify(
            [locked.created_by],
            "服务机构未接单",
            f"{provider.display_name}未接单“{locked.title}”（{locked.number}）：{reason}。{body}",
        )
    return locked  # type: ignore[no-any-return]


def order_complete(*, user: Any, order: Order, result: str) -> Order:
    """The provider closes the order with what was done; the enterprise is asked to rate it."""
    result = _clean(result, 2000)
    if not result:
        raise ValidationError({"result": ["请填写服务结果。"]})
    if len(result) > 2000:
        raise ValidationError({"result": ["服务结果不能超过 2000 字。"]})
    with PROCESS.act(order, "complete", actor=user) as step:
        locked = step.obj
        locked.result = result
        locked.completed_at = step.now
        _no_controls({"result": result})
        step.note = result
        step.notify(
            [locked.created_by],
            "服务已完成，请评价",
            f"{locked.provider.display_name}已完成“{locked.title}”（{locked.number}），请您评价。",
        )
    return locked  # type: ignore[no-any-return]


def _no_controls(values: dict[str, str]) -> None:
    from qifu.core.text import no_control_characters

    errors = {}
    for name, value in values.items():
        try:
            no_control_characters(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def order_rate(*, user: Any, order: Order, rating: int | None, comment: str = "") -> Order:
    """The enterprise rates a completed order once (1–5 and a comment); the rating is public."""
    comment = _clean(comment, 500)
    if rating is None or not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": ["请选择 1 到 5 星的评分。"]})
    if len(comment) > 500:
        raise ValidationError({"comment": ["评价不能超过 500 字。"]})
    _no_controls({"comment": comment})
    with PROCESS.act(order, "rate", actor=user) as step:
        locked = step.obj
        if locked.rating is not None:
            raise TransitionNotAllowed("该订单已评价，不能重复评价。")
        locked.rating = int(rating)
        locked.rating_comment = comment
        locked.rated_at = step.now
        step.note = f"{int(rating)} 星" + (f"：{comment}" if comment else "")
        step.data = {"rating": int(rating)}
        step.notify(
            lambda: member_users(locked.provider),
            "企业已评价",
            f"{locked.enterprise.name}对“{locked.title}”（{locked.number}）评价 {int(rating)} 星。",
        )
    return locked  # type: ignore[no-any-return]


def order_cancel(*, user: Any, order: Order, reason: str = "") -> Order:
    """The enterprise cancels before the provider has accepted."""
    reason = _clean(reason, 500)
    _no_controls({"reason": reason})
    with PROCESS.act(order, "cancel", actor=user) as step:
        locked = step.obj
        step.note = reason
        if locked.provider_id:
            step.notify(
                lambda: member_users(locked.provider),
                "服务订单已取消",
                f"{locked.enterprise.name}已取消“{locked.title}”（{locked.number}）。",
            )
    return locked  # type: ignore[no-any-return]


def complaint_file(*, user: Any, order: Order, content: str) -> Complaint:
    """The enterprise complains about an order to the platform (服务超市的管理部门)."""
    content = _clean(content, 2000)
    if not content:
        raise ValidationError({"content": ["请写明投诉的事由。"]})
    with PROCESS.act(order, "complain", actor=user) as step:
        complaint = Complaint(order=step.obj, content=content)
        complaint.full_clean(exclude=["order"])
        complaint.save()
        step.note = content
        step.data = {"complaint": complaint.pk}
        step.notify(
            reviewer_users,
            "服务超市收到投诉",
            f"{step.obj.enterprise.name}投诉订单 {step.obj.number}：{content[:100]}",
        )
    return complaint


def complaint_resolve(*, user: Any, complaint: Complaint, response: str) -> Complaint:
    """Market staff answer a complaint; the answer is on the order's timeline."""
    response = _clean(response, 2000)
    if not response:
        raise ValidationError({"response": ["请填写处理结果。"]})
    if not is_market_staff(user):
        raise PermissionDenied("只有服务超市的管理部门可以处理投诉。")
    _no_controls({"response": response})
    with PROCESS.act(complaint.order_id, "resolve", actor=user) as step:
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.status != ComplaintStatus.OPEN:
            raise TransitionNotAllowed("该投诉已处理。")
        locked.status = ComplaintStatus.RESOLVED
        locked.response = response[:2000]
        locked.responded_by = user
        locked.responded_at = step.now
        locked.save()
        step.note = response
        step.data = {"complaint": locked.pk}
        step.notify(
            [step.obj.created_by], "投诉已处理", f"订单 {step.obj.number}：{response[:100]}"
        )
    return locked
