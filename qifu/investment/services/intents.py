"""Online intent registration (招商推介: 在线登记投资意向) by investors without an account.

The form and `POST /api/v1/investment/intents` both come here. What keeps robots out, without a
puzzle that shuts out people using screen readers: a hidden field people never fill and a signed
form time (the page form), and on both ways limits per client address per hour and per phone or
e-mail per day (429), links in the message counted, every field length-checked. The lead is
answered with a reference number (on the page, and by e-mail or SMS), 商务局 is told at once, and
the clock of the time to first contact starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from qifu.investment.models import EventAction, Lead, Origin
from qifu.investment.services.leads import investment_leads_users, lead_insert, notify_about
from qifu.notifications.models import Channel, OutboxMessage
from qifu.notifications.services import outbox_enqueue_delivery, sms_window_start

MAX_LINKS = 2
_PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,19}$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LINK_RE = re.compile(r"https?://|www\.", re.IGNORECASE)


# Countries as investors from abroad write them, to the Chinese names the statistics group by.
COUNTRY_NAMES = {
    "china": "中国",
    "prc": "中国",
    "people's republic of china": "中国",
    "korea": "韩国",
    "south korea": "韩国",
    "republic of korea": "韩国",
    "japan": "日本",
    "germany": "德国",
    "norway": "挪威",
    "singapore": "新加坡",
    "united states": "美国",
    "usa": "美国",
    "united kingdom": "英国",
    "uk": "英国",
    "france": "法国",
    "netherlands": "荷兰",
    "russia": "俄罗斯",
    "australia": "澳大利亚",
    "canada": "加拿大",
}


class TooManyIntents(Exception):
    """Over the limit of registrations from one address or for one contact (HTTP 429)."""


@dataclass(frozen=True)
class Intent:
    name: str
    company: str
    phone: str
    email: str
    country: str
    province: str
    industry: str
    amount: Decimal | None
    interest: str
    message: str


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def intent_clean(data: dict[str, Any], *, english: bool = False) -> Intent:
    """Check every field; ValidationError field by field (Chinese, or English for the English
    page and for API clients that registered from abroad)."""

    def msg(zh: str, en: str) -> str:
        return en if english else zh

    errors: dict[str, list[str]] = {}
    limits = {"name": 50, "company": 200, "industry": 100, "country": 60, "province": 30}
    limits |= {"interest": 200, "message": 2000, "email": 254, "phone": 30}
    values = {name: _text(data, name) for name in limits}
    for name, limit in limits.items():
        if len(values[name]) > limit:
            errors[name] = [msg(f"不能超过{limit}个字。", f"At most {limit} characters.")]
    for name, zh, en in (
        ("name", "请填写联系人姓名。", "Please give your name."),
        ("company", "请填写企业名称。", "Please give your company's name."),
        ("industry", "请填写所属行业。", "Please give your industry."),
    ):
        if not values[name]:
            errors.setdefault(name, []).append(msg(zh, en))
    phone, email = values["phone"], values["email"]
    if not phone and not email:
        errors.setdefault("phone", []).append(
            msg(
                "请至少填写电话或电子邮箱中的一项。",
                "Please give a phone number or an e-mail address.",
            )
        )
    if phone and not _PHONE_RE.match(phone):
        errors.setdefault("phone", []).append(
            msg("电话号码格式不正确。", "This phone number does not look right.")
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(
                msg("电子邮箱格式不正确。", "This e-mail address does not look right.")
            )
    amount: Decimal | None = None
    raw_amount = data.get("amount")
    if raw_amount not in (None, ""):
        try:
            amount = Decimal(str(raw_amount).strip())
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount > Decimal("1e10"):
            errors.setdefault("amount", []).append(
                msg(
                    "请填写不小于 0 的金额（万元）。",
                    "Please give an amount of 0 or more (10k CNY).",
                )
            )
            amount = None
        else:
            amount = amount.quantize(Decimal("0.01"))
    links = len(_LINK_RE.findall(values["message"])) + len(_LINK_RE.findall(values["interest"]))
    if links > MAX_LINKS:
        errors.setdefault("message", []).append(
            msg("留言中的链接过多，请删去链接后再提交。", "Too many links; please remove them.")
        )
    if errors:
        raise ValidationError(errors)
    return Intent(
        name=values["name"],
        company=values["company"],
        phone=phone,
        email=email.lower(),
        country=COUNTRY_NAMES.get(values["country"].lower(), values["country"]) or "中国",
        province=values["province"],
        industry=values["industry"],
        amount=amount,
        interest=values["interest"],
        message=values["message"],
    )


def _count(key: str, ttl: int) -> int:
    cache.add(key, 0, ttl)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, ttl)
        return 1


def intent_rate_check(*, address: str, intent: Intent) -> None:
    """Refuse a registration over the per-address or per-contact limit (counted as it passes)."""
    if _count(f"inv-intent:ip:{address}", 3600) > settings.INTENT_LIMIT_PER_ADDRESS_HOUR:
        raise TooManyIntents
    for contact in (intent.phone, intent.email):
        if (
            contact
            and _count(f"inv-intent:c:{contact}", 86400) > settings.INTENT_LIMIT_PER_CONTACT_DAY
        ):
            raise TooManyIntents


def _acknowledge(lead: Lead, *, english: bool) -> None:
    """Send the investor the reference number by e-mail and, for a Chinese mobile, by SMS."""
    now = timezone.now()
    if english:
        subject = f"Your investment enquiry to {settings.CITY_NAME} — reference {lead.reference}"
        body = (
            f"Dear {lead.contact_name},\n\nThank you for your interest in investing in Rongcheng. "
            f"We have registered your enquiry for {lead.company} under reference {lead.reference}. "
            "An investment officer of the Rongcheng Bureau of Commerce will contact you within "
            "one working day.\n\nRongcheng Bureau of Commerce"
        )
    else:
        subject = f"{settings.PLATFORM_NAME}：投资意向已登记（编号 {lead.reference}）"
        body = (
            f"{lead.contact_name}您好：\n感谢您关注{settings.CITY_NAME}。您为{lead.company}登记的投资意向"
            f"已收到，编号 {lead.reference}。"
            f"{settings.CITY_NAME}商务局招商人员将在1个工作日内与您联系。"
        )
    messages: list[OutboxMessage] = []
    if lead.email:
        messages.append(
            OutboxMessage(
                channel=Channel.EMAIL,
                recipient=lead.email,
                kind="investment_intent_ack",
                subject=subject[:200],
                body=body,
                next_attempt_at=now,
            )
        )
    if _MOBILE_RE.match(lead.phone):
        text = (
            f"【{settings.PLATFORM_NAME}】您的投资意向已登记，编号{lead.reference}，"
            "商务局将在1个工作日内与您联系。"
        )
        messages.append(
            OutboxMessage(
                channel=Channel.SMS,
                recipient=lead.phone,
                kind="investment_intent_ack",
                body=text,
                next_attempt_at=sms_window_start(now),
            )
        )
    if messages:
        OutboxMessage.objects.bulk_create(messages)
        outbox_enqueue_delivery()


def intent_register(*, intent: Intent, language: str = "zh-hans") -> Lead:
    """Turn a checked intent into a lead, acknowledge it, tell 商务局 (inbox and SMS)."""
    english = language == "en"
    with transaction.atomic():
        lead = lead_insert(
            fields={
                "company": intent.company,
                "contact_name": intent.name,
                "phone": intent.phone,
                "email": intent.email,
                "country": intent.country,
                "province": intent.province,
                "industry": intent.industry,
                "amount": intent.amount,
                "interest": intent.interest,
                "message": intent.message,
                "language": "en" if english else "zh-hans",
                "origin": Origin.INTENT,
            },
            actor=None,
            action=EventAction.INTENT,
        )
        _acknowledge(lead, english=english)
        due = timezone.localtime(lead.next_due_at) if lead.next_due_at else None
        notify_about(
            investment_leads_users(),
            lead,
            f"新投资意向：{lead.company}",
            f"{lead.origin_label}的{lead.company}（{lead.industry}）在线登记了投资意向，编号"
            f"{lead.reference}" + (f"，请于{due:%m月%d日 %H:%M}前首次联系。" if due else "。"),
            sms=True,
        )
    return lead
