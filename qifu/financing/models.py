"""融资服务 (measures, article 9: 融资动态、融资担保机构、合同贷、金融基金、企业需求、常见问题):
financing news and the institutions' financial products, both reviewed before publishing;
government funds; the enterprises' financing needs, matched to products and sent as orders to
the institutions, which take them up (接单) and record the outcome (anchors A14, 信易贷).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Enterprise, Section
from qifu.core.models import TimeStampedModel, UploadedFile, WorkflowEvent
from qifu.providers.models import Provider
from qifu.publishing.models import PublicationStatus, Publishable, PublishableQuerySet

# Amounts are in 万元; a need above 100 亿元 is a typing error, not a need.
MAX_AMOUNT = Decimal("1000000")
MAX_TERM_MONTHS = 360
# Annual rates in percent; above 24% a loan is outside what the courts protect.
MAX_RATE = Decimal("24")

amount_validators = [MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)]
term_validators = [MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)]
rate_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_RATE)]


class ProductKind(models.TextChoices):
    CREDIT = "credit", "信用贷"
    MORTGAGE = "mortgage", "抵押贷"
    GUARANTEE = "guarantee", "担保贷"
    CONTRACT = "contract", "合同贷"
    IP_PLEDGE = "ip_pledge", "知识产权质押"
    SUPPLY_CHAIN = "supply_chain", "供应链金融"


class RequestKind(models.TextChoices):
    ANY = "any", "不限"
    CREDIT = "credit", "信用贷"
    MORTGAGE = "mortgage", "抵押贷"
    GUARANTEE = "guarantee", "担保贷"
    CONTRACT = "contract", "合同贷"
    IP_PLEDGE = "ip_pledge", "知识产权质押"
    SUPPLY_CHAIN = "supply_chain", "供应链金融"
    BRIDGE = "bridge", "应急转贷"


# --- published content ---------------------------------------------------------------------------


class FinancingNews(Publishable):
    """融资动态: financing news by the 政策诉求 agency's staff, reviewed before publishing."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary", "body")

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文", help_text="纯文本，空一行分段")

    class Meta(Publishable.Meta):
        verbose_name = "融资动态"
        verbose_name_plural = "融资动态"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="finnews_status_pub_idx"),
            models.Index(fields=["section", "status"], name="finnews_section_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("financing:news_edit", args=[self.pk])


class ProductQuerySet(PublishableQuerySet):
    def for_user(self, user: Any) -> ProductQuerySet:
        """Its institution's members see its products; reviewers what was sent to them."""
        from qifu.providers.access import provider_id_for

        if not user.is_authenticated:
            return self.none()  # type: ignore[return-value]
        if user.is_superuser:
            return self
        provider_id = provider_id_for(user)
        if provider_id is not None:
            return self.filter(provider_id=provider_id)  # type: ignore[return-value]
        sections = [s for s in Section.values if user.administers_section(s)]
        return self.filter(section__in=sections).exclude(  # type: ignore[return-value]
            status=PublicationStatus.DRAFT
        )


class FinancialProduct(Publishable):
    """A financial product of a bank or guarantee institution, reviewed before it is listed."""

    PROVIDER_AUTHORED: ClassVar[bool] = True
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "kind",
        "amount_min",
        "amount_max",
        "term_min_months",
        "term_max_months",
        "rate_min",
        "rate_max",
        "conditions",
        "description",
        "scales",
        "industries",
        "min_years",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    provider = models.ForeignKey(
        Provider, verbose_name="金融机构", on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField("产品名称", max_length=100)
    kind = models.CharField("产品类型", max_length=16, choices=ProductKind.choices)
    amount_min = models.DecimalField(
        "最低额度（万元）", max_digits=12, decimal_places=2, validators=amount_validators
    )
    amount_max = models.DecimalField(
        "最高额度（万元）", max_digits=12, decimal_places=2, validators=amount_validators
    )
    term_min_months = models.PositiveIntegerField("最短期限（月）", validators=term_validators)
    term_max_months = models.PositiveIntegerField("最长期限（月）", validators=term_validators)
    rate_min = models.DecimalField(
        "最低年利率（%）", max_digits=5, decimal_places=2, validators=rate_validators
    )
    rate_max = models.DecimalField(
        "最高年利率（%）", max_digits=5, decimal_places=2, validators=rate_validators
    )
    conditions = models.TextField("申请条件")
    description = models.TextField("产品介绍", blank=True)
    # The enterprise profile the product serves; empty means any.
    scales = models.JSONField("适用企业规模", default=list, blank=True)
    industries = models.JSONField(
        "适用行业", default=list, blank=True, help_text="行业代码前缀，如 C13、A04；留空不限"
    )
    min_years = models.PositiveSmallIntegerField("最短成立年限", default=0)

    objects = ProductQuerySet.as_manager()  # type: ignore[misc]

    class Meta(Publishable.Meta):
        verbose_name = "金融产品"
        verbose_name_plural = "金融产品"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="finprod_status_pub_idx"),
            models.Index(fields=["section", "status"], name="finprod_section_status_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return f"{self.provider.display_name} {self.name}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        pairs = (
            ("amount_min", "amount_max", "最高额度不能低于最低额度。"),
            ("term_min_months", "term_max_months", "最长期限不能短于最短期限。"),
            ("rate_min", "rate_max", "最高利率不能低于最低利率。"),
        )
        for low, high, message in pairs:
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                errors[high] = message
        if errors:
            raise ValidationError(errors)

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("financing:product_edit", args=[self.pk])


# --- funds ------------------------------------------------------------------------------------


class FundKind(models.TextChoices):
    BRIDGE = "bridge", "应急转贷资金"
    GUIDANCE = "guidance", "政府引导基金"
    RISK = "risk", "风险补偿资金"
    SUBSIDY = "subsidy", "贴息资金"


class GovernmentFund(TimeStampedModel):
    """A government fund (金融基金): a list the 政策诉求 agency keeps; a bridge fund takes
    requests through its operator (应急转贷, facts: policy 17)."""

    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=12, choices=FundKind.choices)
    manager = models.CharField("主管单位", max_length=100)
    operator = models.ForeignKey(
        Provider,
        verbose_name="运营机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
        help_text="应急转贷资金的申请发送给运营机构",
    )
    scale = models.CharField("规模", max_length=50, blank=True)
    max_amount = models.DecimalField(
        "单笔上限（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_days = models.PositiveSmallIntegerField("最长使用天数", null=True, blank=True)
    fee = models.CharField("费用", max_length=100, blank=True)
    conditions = models.TextField("申请条件", blank=True)
    description = models.TextField("简介", blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=100)

    class Meta:
        verbose_name = "政府基金"
        verbose_name_plural = "政府基金"
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def takes_requests(self) -> bool:
        return self.kind == FundKind.BRIDGE and self.operator_id is not None and self.is_active


# --- needs and orders -------------------------------------------------------------------------


class RequestQuerySet(models.QuerySet["FinancingRequest"]):
    def for_user(self, user: Any) -> RequestQuerySet:
        """The enterprise its own; an institution those sent to it; the section's staff all."""
        from qifu.financing.access import can_oversee
        from qifu.providers.access import provider_id_for

        if not user.is_authenticated:
            return self.none()
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        provider_id = provider_id_for(user)
        if provider_id is not None:
            return self.filter(orders__provider_id=provider_id).distinct()
        if can_oversee(user):
            return self
        return self.none()


class FinancingRequest(TimeStampedModel):
    """An enterprise's financing need (企业需求) and where it was sent."""

    number = models.CharField("编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("融资方式", max_length=16, choices=RequestKind.choices)
    amount = models.DecimalField(
        "融资金额（万元）", max_digits=12, decimal_places=2, validators=amount_validators
    )
    term_months = models.PositiveIntegerField("期限（月）", validators=term_validators)
    purpose = models.TextField("资金用途")
    guarantee = models.CharField("可提供的担保", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    # Chosen by the enterprise (a contract loan goes to this institution only).
    chosen_provider = models.ForeignKey(
        Provider,
        verbose_name="意向机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fund = models.ForeignKey(
        GovernmentFund,
        verbose_name="应急转贷资金",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    loan_due_on = models.DateField("原贷款到期日", null=True, blank=True)
    posting = models.ForeignKey(
        "content.FinancingNeed",
        verbose_name="来自信息发布",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The match as computed at submission: [{"product": id, "provider": id, "score": n,
    # "reasons": [...]}], kept so the reasons shown never change afterwards.
    matches = models.JSONField("匹配结果", default=list, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = "融资需求"
        verbose_name_plural = "融资需求"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.amount.normalize():f} 万元"

    @property
    def title(self) -> str:
        return f"{self.get_kind_display()}融资 {self.amount.normalize():f} 万元"  # type: ignore[attr-defined]


def request_document_path(instance: FinancingDocument, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"financing/{instance.request_id}/{uuid.uuid4().hex}.{extension}"


class FinancingDocument(UploadedFile):
    """The basis of a contract loan (采购合同、中标通知书): seen by the enterprise and the
    institutions its need was sent to — for a contract loan, the one it chose."""

    request = models.ForeignKey(
        FinancingRequest, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField("文件", upload_to=request_document_path, max_length=300)

    class Meta:
        verbose_name = "融资材料"
        verbose_name_plural = "融资材料"

    def __str__(self) -> str:
        return self.original_name


class OrderStatus(models.TextChoices):
    PENDING = "pending", "待接单"
    TAKEN = "taken", "已接单"
    GRANTED = "granted", "已放款"
    REFUSED = "refused", "未获批"
    CANCELLED = "cancelled", "已撤回"


OPEN_ORDER_STATUSES = (OrderStatus.PENDING, OrderStatus.TAKEN)
DONE_ORDER_STATUSES = (OrderStatus.GRANTED, OrderStatus.REFUSED)


class OrderQuerySet(models.QuerySet["FinancingOrder"]):
    def for_user(self, user: Any) -> OrderQuerySet:
        """The enterprise its own needs' orders; an institution its own; the section's staff all."""
        from qifu.financing.access import can_oversee
        from qifu.providers.access import provider_id_for

        if not user.is_authenticated:
            return self.none()
        if user.enterprise_id:
            return self.filter(request__enterprise_id=user.enterprise_id)
        provider_id = provider_id_for(user)
        if provider_id is not None:
            return self.filter(provider_id=provider_id)
        if can_oversee(user):
            return self
        return self.none()


class FinancingOrder(TimeStampedModel):
    """A need sent to one institution: taken up (接单) in time, then granted or refused."""

    request = models.ForeignKey(FinancingRequest, on_delete=models.CASCADE, related_name="orders")
    provider = models.ForeignKey(
        Provider, verbose_name="金融机构", on_delete=models.PROTECT, related_name="financing_orders"
    )
    product = models.ForeignKey(
        FinancialProduct,
        verbose_name="匹配产品",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    status = models.CharField(
        "状态",
        max_length=12,
        choices=OrderStatus.choices,
        default=OrderStatus.PENDING,
        db_index=True,
    )
    match_reasons = models.JSONField("匹配理由", default=list, blank=True)
    take_due_at = models.DateTimeField("接单时限", null=True, blank=True, db_index=True)
    decide_due_at = models.DateTimeField("办结时限", null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField("推送时间", default=timezone.now)
    decide_from = models.DateTimeField(null=True, blank=True)
    take_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    decide_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    calendar_warning = models.CharField(max_length=200, blank=True)
    taken_at = models.DateTimeField("接单时间", null=True, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接单人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    granted_amount = models.DecimalField(
        "放款金额（万元）",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=amount_validators,
    )
    granted_rate = models.DecimalField(
        "年利率（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=rate_validators,
    )
    granted_term_months = models.PositiveIntegerField(
        "放款期限（月）", null=True, blank=True, validators=term_validators
    )
    refusal_reason = models.TextField("未获批原因", blank=True)
    rating = models.PositiveSmallIntegerField(
        "评价", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.CharField("评价内容", max_length=500, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    # The shared deadline sweep's markers (qifu/notifications/deadlines.py).
    reminded_for = models.DateTimeField(null=True, blank=True)
    overdue_marked_for = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = "融资对接单"
        verbose_name_plural = "融资对接单"
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "provider"], name="financing_order_one_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="financing_order_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.number} → {self.provider}"

    @property
    def number(self) -> str:
        return f"{self.request.number}-{self.pk}"

    @property
    def current_due_at(self) -> Any:
        if self.status == OrderStatus.PENDING:
            return self.take_due_at
        if self.status == OrderStatus.TAKEN:
            return self.decide_due_at
        return None

    @property
    def is_overdue(self) -> bool:
        due = self.current_due_at
        return bool(due and due < timezone.now())

    @property
    def status_tone(self) -> str:
        return {
            OrderStatus.PENDING: "blue",
            OrderStatus.TAKEN: "cyan",
            OrderStatus.GRANTED: "green",
            OrderStatus.REFUSED: "orange",
            OrderStatus.CANCELLED: "secondary",
        }.get(self.status, "secondary")  # type: ignore[call-overload]


class OrderAction(models.TextChoices):
    SEND = "send", "推送机构"
    TAKE = "take", "接单"
    GRANT = "grant", "放款"
    REFUSE = "refuse", "未获批"
    CANCEL = "cancel", "企业撤回"
    RATE = "rate", "企业评价"
    OVERDUE = "overdue", "超期"
    DEADLINE_CHANGED = "deadline_changed", "期限调整"


class FinancingOrderEvent(WorkflowEvent):
    order = models.ForeignKey(FinancingOrder, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=OrderAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "融资对接记录"
        verbose_name_plural = "融资对接记录"
