"""Writes of 融资服务: news and products (through review, qifu/publishing), needs matched and
sent to institutions, and every step of an order on its process table (qifu/financing/workflow.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Department, Role, User
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.financing.access import SECTION, can_oversee
from qifu.financing.matching import Match, best_per_provider, match_products
from qifu.financing.models import (
    MAX_AMOUNT,
    MAX_RATE,
    MAX_TERM_MONTHS,
    FinancialProduct,
    FinancingDocument,
    FinancingNews,
    FinancingOrder,
    FinancingRequest,
    GovernmentFund,
    OrderStatus,
    RequestKind,
)
from qifu.financing.workflow import PROCESS
from qifu.providers.access import provider_for
from qifu.providers.models import FINANCIAL_KINDS, Provider
from qifu.publishing.services import publication_create, publication_update

# The basis of a contract loan is a scan or a PDF, judged by its content.
CONTRACT_KINDS = ("pdf", "jpg", "png")
# A second click within this time returns the need already submitted instead of a copy.
DUPLICATE_WINDOW = dt.timedelta(minutes=5)


def reviewing_agency() -> Department:
    """The agency that runs 政策诉求 (工信局) reviews financing content (article 5)."""
    agency = next(
        (
            d
            for d in Department.objects.order_by("sort_order", "pk")
            if SECTION in (d.sections or [])
        ),
        None,
    )
    if agency is None:
        raise ValidationError("尚未设置政策诉求版块的管理机构，无法送审。")
    return agency


def overseers() -> list[User]:
    """Staff of the 政策诉求 agency who follow needs nobody could take."""
    agency = reviewing_agency()
    return list(
        User.objects.filter(
            is_active=True,
            department=agency,
            role_grants__role__in=[Role.DEPARTMENT_ADMIN, Role.LIAISON, Role.DEPARTMENT_HANDLER],
        ).distinct()
    )


# --- news and products ----------------------------------------------------------------------


def news_create(*, author: Any, title: str, body: str, summary: str = "", **schedule: Any) -> Any:
    """A draft of 融资动态 by a department's staff."""
    item = FinancingNews(title=title, body=body, summary=summary, **schedule)
    return publication_create(item=item, author=author)


def news_update(*, news: FinancingNews, actor: Any, **changes: Any) -> Any:
    return publication_update(item=news, actor=actor, changes=changes)


def product_create(*, author: Any, **fields: Any) -> FinancialProduct:
    """A draft product of the author's bank or guarantee institution."""
    provider = provider_for(author)
    if provider is None or provider.kind not in FINANCIAL_KINDS:
        raise PermissionDenied("只有已入驻的银行和融资担保机构可以发布金融产品。")
    product = FinancialProduct(provider=provider, provider_department=reviewing_agency(), **fields)
    return publication_create(item=product, author=author)  # type: ignore[no-any-return]


def product_update(*, product: FinancialProduct, actor: Any, **changes: Any) -> FinancialProduct:
    return publication_update(item=product, actor=actor, changes=changes)  # type: ignore[no-any-return]


# --- needs ------------------------------------------------------------------------------------


def _decimal(value: Any, name: str, errors: dict[str, list[str]], label: str) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        errors.setdefault(name, []).append(f"{label}须为数字。")
        return None
    if not number.is_finite() or number <= 0:
        errors.setdefault(name, []).append(f"{label}须大于0。")
        return None
    if number > MAX_AMOUNT:
        errors.setdefault(name, []).append(f"{label}不能超过{MAX_AMOUNT:,.0f}万元。")
        return None
    return number.quantize(Decimal("0.01"))


def _check_text(
    value: str, name: str, label: str, errors: dict[str, list[str]], *, limit: int
) -> str:
    text = (value or "").strip()
    if not text:
        errors.setdefault(name, []).append(f"请填写{label}。")
    elif "\x00" in text or any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        errors.setdefault(name, []).append(f"{label}含有不可见的控制字符，请删除后重新填写。")
    elif len(text) > limit:
        errors.setdefault(name, []).append(f"{label}不能超过{limit}字。")
    return text


def request_submit(
    *,
    user: Any,
    kind: str,
    amount: Any,
    term_months: Any,
    purpose: str,
    contact_name: str,
    contact_phone: str,
    guarantee: str = "",
    chosen_provider: Provider | None = None,
    fund: GovernmentFund | None = None,
    loan_due_on: dt.date | None = None,
    posting: Any = None,
    document: Any = None,
) -> FinancingRequest:
    """An enterprise's financing need: matched to products and sent to the institutions that
    fit (at most FINANCING_MAX_ORDERS; only the chosen one when it chose, always for a contract
    loan), or, for 应急转贷, to the bridge fund's operator."""
    if not getattr(user, "is_authenticated", False) or not user.enterprise_id:
        raise PermissionDenied("只有企业用户可以提交融资需求。")
    enterprise = user.enterprise
    errors: dict[str, list[str]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = ["请选择融资方式。"]
    value = _decimal(amount, "amount", errors, "融资金额")
    try:
        term = int(term_months)
        if not 1 <= term <= MAX_TERM_MONTHS:
            raise ValueError
    except (TypeError, ValueError):
        errors["term_months"] = [f"期限须为1到{MAX_TERM_MONTHS}之间的整数（月）。"]
        term = 0
    purpose = _check_text(purpose, "purpose", "资金用途", errors, limit=2000)
    contact_name = _check_text(contact_name, "contact_name", "联系人", errors, limit=50)
    contact_phone = _check_text(contact_phone, "contact_phone", "联系电话", errors, limit=20)
    guarantee = (guarantee or "").strip()
    if "\x00" in guarantee or len(guarantee) > 200:
        errors["guarantee"] = ["担保方式不能超过200字，且不能含控制字符。"]
    if posting is not None and posting.enterprise_id != enterprise.pk:
        raise PermissionDenied("只能引用本企业发布的融资需求。")
    if kind == RequestKind.CONTRACT:
        if chosen_provider is None:
            errors["chosen_provider"] = ["合同贷须选择一家意向金融机构，合同仅对其可见。"]
        if document is None:
            errors["document"] = ["合同贷须上传采购合同或中标通知书（PDF或图片）。"]
    if document is not None:
        try:
            if attachment_check(document) not in CONTRACT_KINDS:
                raise ValidationError("采购合同或中标通知书须为PDF或图片（JPG、PNG）。")
        except ValidationError as exc:
            errors["document"] = exc.messages
    if kind == RequestKind.BRIDGE:
        if fund is None or not fund.takes_requests:
            errors["fund"] = ["请选择受理申请的应急转贷资金。"]
        elif value is not None and fund.max_amount is not None and value > fund.max_amount:
            errors["amount"] = [f"应急转贷单笔不超过{fund.max_amount.normalize():f}万元。"]
        if loan_due_on is None:
            errors["loan_due_on"] = ["请填写需要转贷的原贷款到期日。"]
        elif loan_due_on < timezone.localdate():
            errors["loan_due_on"] = ["原贷款到期日不能早于今天。"]
    if errors:
        raise ValidationError(errors)
    assert value is not None

    duplicate = FinancingRequest.objects.filter(
        enterprise=enterprise,
        kind=kind,
        amount=value,
        term_months=term,
        purpose=purpose,
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if duplicate is not None:
        return duplicate

    targets: list[tuple[Provider, Match | None]] = []
    if kind == RequestKind.BRIDGE:
        assert fund is not None and fund.operator is not None
        targets = [(fund.operator, None)]
    else:
        matches = match_products(
            enterprise=enterprise,
            kind=kind,
            amount=value,
            term_months=term,
            provider_id=chosen_provider.pk if chosen_provider else None,
        )
        if chosen_provider is not None and not matches:
            raise ValidationError(
                {"chosen_provider": ["所选机构暂无符合本需求的产品，请调整金额、期限或另选机构。"]}
            )
        best = best_per_provider(matches)[: settings.FINANCING_MAX_ORDERS]
        targets = [(m.product.provider, m) for m in best]

    with transaction.atomic():
        request = FinancingRequest.objects.create(
            number=f"RZ{timezone.localdate():%Y%m%d}{uuid.uuid4().hex[:6].upper()}",
            enterprise=enterprise,
            created_by=user,
            kind=kind,
            amount=value,
            term_months=term,
            purpose=purpose,
            guarantee=guarantee,
            contact_name=contact_name,
            contact_phone=contact_phone,
            chosen_provider=chosen_provider,
            fund=fund if kind == RequestKind.BRIDGE else None,
            loan_due_on=loan_due_on if kind == RequestKind.BRIDGE else None,
            posting=posting,
            matches=[m.as_json() for _p, m in targets if m is not None],
        )
        if document is not None:
            extension = attachment_check(document)
            FinancingDocument.objects.create(
                request=request,
                file=document,
                original_name=(getattr(document, "name", "") or "合同")[:200],
                content_type=ATTACHMENT_MIME.get(extension, "application/octet-stream"),
                size=document.size,
                uploaded_by=user,
            )
        for provider, match in targets:
            _send(request, provider, match, user)
        if not targets:
            transaction.on_commit(lambda: _tell_overseers_unmatched(request))
    return request


def _send(request: FinancingRequest, provider: Provider, match: Match | None, user: Any) -> None:
    from qifu.providers.services import member_users

    order = FinancingOrder(
        request=request,
        provider=provider,
        product=match.product if match else None,
        match_reasons=match.reasons if match else ["应急转贷资金由运营机构受理"],
    )
    with PROCESS.start(order, "send", actor=user, state=OrderStatus.PENDING) as step:
        order.save()
        step.note = f"匹配产品：{match.product.name}" if match else f"应急转贷：{request.fund}"
        step.data = {"product": match.product.pk if match else None}
        step.notify(
            lambda: member_users(provider),
            "新的融资需求待接单",
            f"{request.enterprise.name}申请{request.get_kind_display()}"  # type: ignore[attr-defined]
            f" {request.amount.normalize():f} 万元、{request.term_months} 个月，请及时接单。",
            url=reverse("financing:order", args=[order.pk]),
        )


def _tell_overseers_unmatched(request: FinancingRequest) -> None:
    from qifu.notifications.services import notify

    users = overseers()
    if users:
        notify(
            users=users,
            code="generic",
            context={
                "title": "融资需求暂无匹配产品",
                "body": f"{request.enterprise.name}的融资需求（{request.number}）"
                "暂无匹配的金融产品，请协调金融机构对接。",
            },
            url=reverse("financing:request", args=[request.pk]),
        )


# --- orders -----------------------------------------------------------------------------------


def _tell_enterprise(step: Any, order: FinancingOrder, title: str, body: str) -> None:
    step.notify(
        [order.request.created_by],
        title,
        body,
        url=reverse("financing:request", args=[order.request_id]),
    )


def order_take(*, order: FinancingOrder, actor: Any, note: str = "") -> FinancingOrder:
    """The institution takes the need up (接单) and will contact the enterprise."""
    with PROCESS.act(order, "take", actor=actor) as step:
        locked = step.obj
        locked.taken_at = step.now
        locked.taken_by = actor
        step.note = (note or "").strip()[:1000]
        _tell_enterprise(
            step,
            locked,
            "金融机构已接单",
            f"{locked.provider.name}已接单您的融资需求（{locked.request.number}），将与您联系。",
        )
    return locked  # type: ignore[no-any-return]


def order_grant(
    *,
    order: FinancingOrder,
    actor: Any,
    amount: Any,
    rate: Any,
    term_months: Any = None,
    note: str = "",
) -> FinancingOrder:
    """Record the loan granted: amount, annual rate and term."""
    errors: dict[str, list[str]] = {}
    value = _decimal(amount, "amount", errors, "放款金额")
    try:
        annual = Decimal(str(rate))
        if not annual.is_finite() or not Decimal("0") < annual <= MAX_RATE:
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors["rate"] = [f"年利率须为大于0且不超过{MAX_RATE}的数字（%）。"]
        annual = Decimal("0")
    term: int | None = None
    if term_months not in (None, ""):
        try:
            term = int(term_months)
            if not 1 <= term <= MAX_TERM_MONTHS:
                raise ValueError
        except (TypeError, ValueError):
            errors["term_months"] = [f"期限须为1到{MAX_TERM_MONTHS}之间的整数（月）。"]
    if errors:
        raise ValidationError(errors)
    with PROCESS.act(order, "grant", actor=actor) as step:
        locked = step.obj
        locked.decided_at = step.now
        locked.granted_amount = value
        locked.granted_rate = annual.quantize(Decimal("0.01"))
        locked.granted_term_months = term or locked.request.term_months
        step.note = (note or "").strip()[:1000]
        step.data = {"amount": str(value), "rate": str(locked.granted_rate), "term": term}
        _tell_enterprise(
            step,
            locked,
            "融资已放款",
            f"{locked.provider.name}已向贵企业放款 {value.normalize():f} 万元"  # type: ignore[union-attr]
            f"（年利率 {locked.granted_rate}%），欢迎评价本次服务。",
        )
    return locked  # type: ignore[no-any-return]


def order_refuse(*, order: FinancingOrder, actor: Any, reason: str) -> FinancingOrder:
    """The institution declines the need with the reason (before or after taking it up)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写未获批的原因。"})
    if "\x00" in reason or len(reason) > 1000:
        raise ValidationError({"reason": "原因不能超过1000字，且不能含控制字符。"})
    with PROCESS.act(order, "refuse", actor=actor) as step:
        locked = step.obj
        locked.decided_at = step.now
        locked.refusal_reason = reason
        step.note = reason
        _tell_enterprise(
            step,
            locked,
            "融资需求未获批",
            f"{locked.provider.name}未批准您的融资需求（{locked.request.number}）：{reason}",
        )
    return locked  # type: ignore[no-any-return]


def order_cancel(*, order: FinancingOrder, actor: Any, reason: str = "") -> FinancingOrder:
    """The enterprise withdraws its need from one institution."""
    from qifu.providers.services import member_users

    with PROCESS.act(order, "cancel", actor=actor) as step:
        locked = step.obj
        locked.decided_at = None
        step.note = (reason or "").strip()[:1000]
        step.notify(
            lambda: member_users(locked.provider),
            "企业已撤回融资需求",
            f"{locked.request.enterprise.name}已撤回融资需求（{locked.number}）。",
        )
    return locked  # type: ignore[no-any-return]


def order_rate(
    *, order: FinancingOrder, actor: Any, rating: Any, comment: str = ""
) -> FinancingOrder:
    """The enterprise rates the institution's service once (1–5 and a comment)."""
    try:
        stars = int(rating)
        if not 1 <= stars <= 5:
            raise ValueError
    except (TypeError, ValueError):
        raise ValidationError({"rating": "评价须为1到5星。"}) from None
    comment = (comment or "").strip()
    if "\x00" in comment or len(comment) > 500:
        raise ValidationError({"comment": "评价内容不能超过500字，且不能含控制字符。"})
    with PROCESS.act(order, "rate", actor=actor) as step:
        locked = step.obj
        locked.rating = stars
        locked.rating_comment = comment
        locked.rated_at = step.now
        step.note = f"{stars} 星" + (f"：{comment}" if comment else "")
        step.data = {"rating": stars}
    return locked  # type: ignore[no-any-return]


def check_oversee(user: Any) -> None:
    if not can_oversee(user):
        raise PermissionDenied("仅限平台工作人员和工信局查看。")
