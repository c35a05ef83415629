"""服务超市 (measures, article 9): providers' offerings, enterprises' orders, quotes, draws.

An offering is published content (reviewed before it is public, `qifu.publishing`), written by
a provider's member. An order is a process (`qifu.market.workflow`): ordered directly from an
offering, or posted as a need for which the enterprise selects a provider by competitive quotes
or by a random draw among the qualified providers (the draw is recorded with its seed and its
candidates, so anyone can compute it again). The provider accepts within a number of working
days, does the work and closes; the enterprise rates it; complaints go to the platform.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from qifu.accounts.models import Enterprise, Section
from qifu.core.models import TimeStampedModel, WorkflowEvent
from qifu.core.text import no_control_characters
from qifu.publishing.models import Publishable, PublishableQuerySet

TEXT = [no_control_characters]
MONEY = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("9999999999"))]


class Category(models.TextChoices):
    """The seven modules of 服务超市 named by article 9."""

    VENUE = "venue", "找场地"
    PRODUCT = "product", "找产品"
    RESULT = "result", "找成果"
    LEGAL = "legal", "法律服务"
    FINANCE = "finance", "财务服务"
    PROJECT = "project", "项目合作"
    OTHER = "other", "其他服务"


# --- Offerings ------------------------------------------------------------------------------


class OfferingQuerySet(PublishableQuerySet):
    def of_provider(self, provider: Any) -> OfferingQuerySet:
        if provider is None:
            return self.none()
        return self.filter(provider=provider)


class Offering(Publishable):
    """A service a provider lists in the supermarket; public only once reviewed."""

    PROVIDER_AUTHORED: ClassVar[bool] = True
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "category",
        "title",
        "description",
        "price_min",
        "price_max",
        "price_unit",
        "area_served",
        "qualifications",
        "promised_working_days",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name="服务机构",
        on_delete=models.CASCADE,
        related_name="offerings",
    )
    category = models.CharField("服务类别", max_length=12, choices=Category.choices)
    title = models.CharField("服务名称", max_length=100, validators=TEXT)
    description = models.TextField(
        "服务内容", max_length=3000, validators=[*TEXT, MaxLengthValidator(3000)]
    )
    price_min = models.DecimalField(
        "价格下限（元）", max_digits=12, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    price_max = models.DecimalField(
        "价格上限（元）", max_digits=12, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    price_unit = models.CharField(
        "计价方式", max_length=30, blank=True, validators=TEXT, help_text="例如：元/件、元/年"
    )
    area_served = models.CharField("服务区域", max_length=100, default="荣成市", validators=TEXT)
    qualifications = models.TextField(
        "资质说明",
        max_length=1000,
        blank=True,
        validators=[*TEXT, MaxLengthValidator(1000)],
        help_text="执业许可、资格证书等",
    )
    promised_working_days = models.PositiveSmallIntegerField(
        "承诺办理时限（工作日）",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )

    objects = OfferingQuerySet.as_manager()  # type: ignore[misc]

    class Meta(Publishable.Meta):
        verbose_name = "服务超市产品"
        verbose_name_plural = "服务超市产品"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="offer_status_published_idx"),
            models.Index(fields=["section", "status"], name="offer_section_status_idx"),
            models.Index(fields=["category", "status"], name="offer_category_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if (
            self.price_min is not None
            and self.price_max is not None
            and self.price_min > self.price_max
        ):
            raise ValidationError({"price_max": "价格上限不能低于价格下限。"})

    @property
    def price_text(self) -> str:
        unit = self.price_unit or "元"
        low, high = self.price_min, self.price_max
        if low is None and high is None:
            return "面议"
        if low is not None and high is not None and low != high:
            return f"{low.normalize():f}–{high.normalize():f} {unit}"
        value = low if low is not None else high
        assert value is not None
        return ("起价 " if high is None else "") + f"{value.normalize():f} {unit}"

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("market:offering_edit", args=[self.pk])

    def public_url(self) -> str:
        from django.urls import reverse

        return reverse("market:offering", args=[self.pk])


# --- Orders ---------------------------------------------------------------------------------


class OrderStatus(models.TextChoices):
    SELECTING = "selecting", "待选定机构"
    SUBMITTED = "submitted", "待接单"
    ACCEPTED = "accepted", "服务中"
    COMPLETED = "completed", "已完成"
    DECLINED = "declined", "机构未接单"
    CANCELLED = "cancelled", "已取消"


OPEN_ORDER_STATUSES = frozenset(
    {OrderStatus.SELECTING, OrderStatus.SUBMITTED, OrderStatus.ACCEPTED}
)


class SelectionMethod(models.TextChoices):
    DIRECT = "direct", "直接选择"
    QUOTE = "quote", "竞价选择"
    DRAW = "draw", "随机抽取"


class MarketOrderQuerySet(models.QuerySet["Order"]):
    def for_user(self, user: Any) -> MarketOrderQuerySet:
        """An enterprise sees its own orders; a provider the orders sent to it and the needs it
        may quote for (never another provider's order); the platform's market staff see all."""
        from qifu.market.access import is_market_staff
        from qifu.providers.access import provider_for

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        if is_market_staff(user):
            return self
        provider = provider_for(user)
        if provider is None:
            return self.none()
        return self.filter(Q(provider=provider) | quotable_by(provider))

    def open(self) -> MarketOrderQuerySet:
        return self.filter(status__in=OPEN_ORDER_STATUSES)


def quotable_by(provider: Any) -> Q:
    """Needs inviting quotes in a category the provider has a published offering in."""
    categories = (
        Offering.objects.published().filter(provider=provider).values_list("category", flat=True)
    )
    return Q(
        status=OrderStatus.SELECTING,
        method=SelectionMethod.QUOTE,
        category__in=categories,
    ) & ~Q(declined_providers=provider)


class Order(TimeStampedModel):
    """An enterprise's order of a service: from selection through acceptance to completion."""

    number = models.CharField("编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="market_orders"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下单人", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("选择方式", max_length=10, choices=SelectionMethod.choices)
    category = models.CharField("服务类别", max_length=12, choices=Category.choices)
    offering = models.ForeignKey(
        Offering,
        verbose_name="服务产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name="服务机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_orders",
    )
    title = models.CharField("需求名称", max_length=100, validators=TEXT)
    description = models.TextField(
        "需求说明", max_length=3000, validators=[*TEXT, MaxLengthValidator(3000)]
    )
    budget = models.DecimalField(
        "预算（元）", max_digits=12, decimal_places=2, null=True, blank=True, validators=MONEY
    )
    contact_name = models.CharField("联系人", max_length=50, validators=TEXT)
    contact_phone = models.CharField("联系电话", max_length=20, validators=TEXT)
    status = models.CharField("状态", max_length=12, choices=OrderStatus.choices, db_index=True)
    # Providers that declined this need: the next draw leaves them out, they quote no more.
    declined_providers = models.ManyToManyField(
        "providers.Provider", verbose_name="未接单机构", blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField("送达机构时间", null=True, blank=True)
    accept_due_at = models.DateTimeField("接单时限", null=True, blank=True)
    accept_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField("接单时间", null=True, blank=True)
    promised_working_days = models.PositiveSmallIntegerField(
        "承诺完成时限（工作日）", null=True, blank=True
    )
    due_at = models.DateTimeField("完成时限", null=True, blank=True)
    agreed_price = models.DecimalField(
        "约定价格（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    result = models.TextField("服务结果", blank=True)
    rating = models.PositiveSmallIntegerField(
        "评分", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField("评价", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    # Markers of the shared deadline sweep (qifu/notifications/deadlines.py).
    reminded_for = models.DateTimeField(null=True, blank=True)
    overdue_marked_for = models.DateTimeField(null=True, blank=True)

    objects = MarketOrderQuerySet.as_manager()

    class Meta:
        verbose_name = "服务订单"
        verbose_name_plural = "服务订单"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="market_order_idempotency",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="market_order_rating_range",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-created_at"], name="market_order_ent_idx"),
            models.Index(fields=["provider", "status"], name="market_order_provider_idx"),
            models.Index(fields=["status", "method", "category"], name="market_order_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    @property
    def status_tone(self) -> str:
        return {
            OrderStatus.SELECTING: "blue",
            OrderStatus.SUBMITTED: "orange",
            OrderStatus.ACCEPTED: "cyan",
            OrderStatus.COMPLETED: "green",
            OrderStatus.DECLINED: "red",
            OrderStatus.CANCELLED: "secondary",
        }.get(self.status, "secondary")  # type: ignore[call-overload]


class Quote(TimeStampedModel):
    """A provider's quote for a need (竞价选择); other providers never see it."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="quotes")
    provider = models.ForeignKey(
        "providers.Provider", verbose_name="服务机构", on_delete=models.CASCADE, related_name="+"
    )
    amount = models.DecimalField(
        "报价（元）",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("9999999999"))],
    )
    working_days = models.PositiveSmallIntegerField(
        "完成时限（工作日）", validators=[MinValueValidator(1), MaxValueValidator(250)]
    )
    note = models.TextField(
        "报价说明", max_length=1000, blank=True, validators=[*TEXT, MaxLengthValidator(1000)]
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "报价"
        verbose_name_plural = "报价"
        ordering = ["amount", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["order", "provider"], name="market_quote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id} {self.amount}"


def draw_index(seed: str, candidate_ids: list[int]) -> int:
    """The position drawn among the candidates (sorted by id): SHA-256 of "seed:id,id,…" as a
    number, modulo their count. Anyone holding the record can compute it again."""
    text = f"{seed}:{','.join(str(i) for i in candidate_ids)}"
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % len(candidate_ids)


class Draw(models.Model):
    """A random draw among qualified providers, recorded so that it can be verified."""

    ALGORITHM = "sha256(seed:ids) mod n"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="draws")
    seed = models.CharField("随机种子", max_length=64)
    # [{"id": …, "name": …}, …] sorted by id: who could have been drawn, as they were named then.
    candidates = models.JSONField("候选机构")
    excluded_ids = models.JSONField("排除机构", default=list, blank=True)
    chosen = models.ForeignKey(
        "providers.Provider", verbose_name="抽中机构", on_delete=models.PROTECT, related_name="+"
    )
    algorithm = models.CharField("算法", max_length=60, default=ALGORITHM)
    drawn_at = models.DateTimeField("抽取时间")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "随机抽取记录"
        verbose_name_plural = "随机抽取记录"
        ordering = ["drawn_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.seed[:8]}"

    @property
    def candidate_ids(self) -> list[int]:
        return [int(c["id"]) for c in self.candidates]

    def verify(self) -> bool:
        """Compute the draw again from its record: the same provider comes out."""
        ids = self.candidate_ids
        return bool(ids) and ids[draw_index(self.seed, ids)] == self.chosen_id


class ComplaintStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已处理"


class Complaint(TimeStampedModel):
    """An enterprise's complaint about an order, handled by the platform's market staff."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="complaints")
    content = models.TextField(
        "投诉内容", max_length=2000, validators=[*TEXT, MaxLengthValidator(2000)]
    )
    status = models.CharField(
        "状态", max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    response = models.TextField("处理结果", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "服务投诉"
        verbose_name_plural = "服务投诉"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_status_display()}"


class OrderAction(models.TextChoices):
    ORDER = "order", "直接下单"
    POST = "post", "发布需求"
    QUOTE = "quote", "提交报价"
    CHOOSE = "choose", "选定报价"
    DRAW = "draw", "随机抽取"
    ACCEPT = "accept", "接单"
    DECLINE = "decline", "不接单"
    COMPLETE = "complete", "完成服务"
    RATE = "rate", "评价"
    CANCEL = "cancel", "取消"
    COMPLAIN = "complain", "投诉"
    RESOLVE = "resolve", "处理投诉"
    OVERDUE = "overdue", "超期"
    DEADLINE_CHANGED = "deadline_changed", "期限调整"


class OrderEvent(WorkflowEvent):
    """One step of an order: its timeline, the provider's response times, the audit."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=OrderAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "服务订单记录"
        verbose_name_plural = "服务订单记录"

    def __str__(self) -> str:
        return f"{self.order_id} {self.action}"
