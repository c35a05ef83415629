"""工作动态: announcements, service measures, good cases and news (measures, article 7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from qifu.accounts.models import Department, DepartmentKind, Enterprise, Section
from qifu.core.masking import mask_phone
from qifu.publishing.models import PublicationStatus, Publishable, PublishableQuerySet


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "涉企公告"
    MEASURE = "measure", "服务措施"
    CASE = "case", "优秀案例"
    NEWS = "news", "工作动态"


class Notice(Publishable):
    """A piece of 工作动态, provided by a department and reviewed before it is published."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("kind", "title", "summary", "body")

    # 工作动态 belongs to the 办事服务 section (article 7), so that section's agency reviews it.
    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.SERVICES
    )
    kind = models.CharField(
        "类别", max_length=16, choices=NoticeKind.choices, default=NoticeKind.NEWS
    )
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文", help_text="纯文本，空一行分段")

    class Meta(Publishable.Meta):
        verbose_name = "工作动态"
        verbose_name_plural = "工作动态"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="notice_status_published_idx"),
            models.Index(fields=["section", "status"], name="notice_section_status_idx"),
        ]

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("content:edit", args=[self.pk])

    def __str__(self) -> str:
        return self.title


# --- 信息发布: enterprise postings ------------------------------------------------------------


class PostingKind(models.TextChoices):
    JOB = "job", "招工信息"
    FINANCING = "financing", "融资需求"


class PostingQuerySet(PublishableQuerySet):
    def for_user(self, user: Any) -> PostingQuerySet:
        """An enterprise's users see its own postings; reviewers see what was sent to them."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        if not user.is_government:
            return self.none()
        sections = [s for s in Section.values if user.administers_section(s)]
        return self.filter(section__in=sections).exclude(status=PublicationStatus.DRAFT)

    def mine(self, user: Any) -> PostingQuerySet:
        if not user.is_authenticated or not user.enterprise_id:
            return self.none()
        return self.filter(enterprise_id=user.enterprise_id)


class Posting(Publishable):
    """Information an enterprise publishes (article 7); the 办事服务 agency reviews it."""

    ENTERPRISE_AUTHORED: ClassVar[bool] = True
    KIND: ClassVar[str] = ""

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.SERVICES
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="发布企业", on_delete=models.CASCADE, related_name="+"
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)

    objects = PostingQuerySet.as_manager()  # type: ignore[misc]

    class Meta(Publishable.Meta):
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.expires_on is None:
            raise ValidationError({"expires_on": "请填写有效期。"})

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def kind_label(self) -> str:
        return PostingKind(self.KIND).label

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("content:posting_manage", args=[self.KIND, self.pk])

    def public_url(self) -> str:
        from django.urls import reverse

        return reverse("content:posting_detail", args=[self.KIND, self.pk])


class JobPosting(Posting):
    """招工: positions an enterprise is hiring for."""

    KIND: ClassVar[str] = PostingKind.JOB
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "position",
        "headcount",
        "pay",
        "place_id",  # the snapshot stores the town's id
        "requirements",
        "contact_name",
        "contact_phone",
    )

    position = models.CharField("招聘岗位", max_length=100)
    headcount = models.PositiveIntegerField("招聘人数", validators=[MinValueValidator(1)])
    pay = models.CharField("薪酬待遇", max_length=100, help_text="例如：月薪 5000–7000 元")
    place = models.ForeignKey(
        Department,
        verbose_name="工作地点",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": DepartmentKind.TOWN},
    )
    requirements = models.TextField("岗位要求", blank=True)

    class Meta(Posting.Meta):
        verbose_name = "招工信息"
        verbose_name_plural = "招工信息"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="job_status_published_idx"),
            models.Index(fields=["section", "status"], name="job_section_status_idx"),
        ]

    @property
    def title(self) -> str:
        return f"{self.enterprise.name} 招聘{self.position}"

    @property
    def town(self) -> Department:
        return self.place

    def __str__(self) -> str:
        return f"招聘{self.position}"


class FinancingNeed(Posting):
    """融资需求: how much an enterprise seeks, for how long and what for."""

    KIND: ClassVar[str] = PostingKind.FINANCING
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "amount",
        "term_months",
        "use",
        "guarantee",
        "contact_name",
        "contact_phone",
    )

    amount = models.DecimalField(
        "融资金额（万元）",
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    term_months = models.PositiveIntegerField("期限（月）", validators=[MinValueValidator(1)])
    use = models.TextField("资金用途")
    guarantee = models.CharField("可提供的担保", max_length=200, blank=True)

    class Meta(Posting.Meta):
        verbose_name = "融资需求"
        verbose_name_plural = "融资需求"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="fin_status_published_idx"),
            models.Index(fields=["section", "status"], name="fin_section_status_idx"),
        ]

    @property
    def title(self) -> str:
        return f"{self.enterprise.name} 融资 {self.amount.normalize():f} 万元"

    @property
    def town(self) -> Department | None:
        return self.enterprise.region

    def __str__(self) -> str:
        return f"融资需求 {self.amount.normalize():f} 万元"


POSTING_MODELS: dict[str, type[Posting]] = {
    PostingKind.JOB: JobPosting,
    PostingKind.FINANCING: FinancingNeed,
}
