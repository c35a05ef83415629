"""Review before publishing (measures, article 12: 先审核、后发布，谁提供、谁负责).

Every kind of published content inherits `Publishable`: it records its provider, its author, its
reviewer and when, and reaches the public only in the `published` status. The transitions run on
the one workflow mechanism (`qifu.publishing.workflow`); their history is `PublicationEvent`
(with an audit record `publishing.*` each), and the versions of the content are `Revision` rows.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Department, Section
from qifu.core.models import TimeStampedModel, WorkflowEvent


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回修改"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "已过期"


STATUS_TONES = {
    PublicationStatus.DRAFT: "secondary",
    PublicationStatus.SUBMITTED: "blue",
    PublicationStatus.APPROVED: "cyan",
    PublicationStatus.RETURNED: "orange",
    PublicationStatus.PUBLISHED: "green",
    PublicationStatus.WITHDRAWN: "red",
    PublicationStatus.EXPIRED: "secondary",
}


class PublishableQuerySet(models.QuerySet[Any]):
    def published(self) -> PublishableQuerySet:
        """What the public may see: published and not past its last day."""
        today = timezone.localdate()
        return self.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            status=PublicationStatus.PUBLISHED,
        )

    def managed_by(self, user: Any) -> PublishableQuerySet:
        """Items the user's department provides (谁提供、谁负责); superusers manage all."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if not user.is_government:
            return self.none()
        return self.filter(provider_department_id=user.department_id)

    def reviewable_by(self, user: Any) -> PublishableQuerySet:
        """Submitted items of sections the user administers, never the user's own."""
        if not user.is_authenticated:
            return self.none()
        qs = self.filter(status=PublicationStatus.SUBMITTED).exclude(created_by_id=user.pk)
        if user.is_superuser:
            return qs
        sections = [s for s in Section.values if user.administers_section(s)]
        return qs.filter(section__in=sections)

    def for_user(self, user: Any) -> PublishableQuerySet:
        """Staff access: the own department's items, and items sent to review in one's sections.

        Drafts stay with their provider until they are submitted.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if not user.is_government:
            return self.none()
        sections = [s for s in Section.values if user.administers_section(s)]
        return self.filter(
            Q(provider_department_id=user.department_id)
            | (Q(section__in=sections) & ~Q(status=PublicationStatus.DRAFT))
        )


class Publishable(TimeStampedModel):
    """Content that is reviewed before it is published; concrete models add their own fields."""

    # Editable fields recorded in every Revision; changing a CONTENT field of approved or
    # published content sends it back to review, changing only the schedule does not.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ()
    SCHEDULE_FIELDS: ClassVar[tuple[str, ...]] = ("publish_at", "expires_on")
    # Enterprise-authored content (招工、融资需求) has an `enterprise` FK: that enterprise's users
    # write, submit and withdraw it; provider_department is then the agency that reviews it.
    ENTERPRISE_AUTHORED: ClassVar[bool] = False
    # Provider-authored content (a bank's financial products, a firm's offerings) has a
    # `provider` FK (qifu.providers): that approved provider's members write, submit and
    # withdraw it; provider_department is then the agency that reviews it.
    PROVIDER_AUTHORED: ClassVar[bool] = False

    status = models.CharField(
        "状态",
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    section = models.CharField("所属版块", max_length=12, choices=Section.choices)
    provider_department = models.ForeignKey(
        Department, verbose_name="提供单位", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作者", on_delete=models.PROTECT, related_name="+"
    )
    revision = models.PositiveIntegerField("版本", default=0)
    submitted_at = models.DateTimeField("送审时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("退回原因", blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    publish_at = models.DateTimeField(
        "定时发布时间", null=True, blank=True, help_text="留空则审核通过后手动发布"
    )
    expires_on = models.DateField(
        "有效期至", null=True, blank=True, help_text="过了这一天自动下线；留空为长期有效"
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        # Concrete models add indexes on (status, published_at) and (section, status): index
        # names are limited to 30 characters, too short for a generated %(class)s pattern.
        abstract = True

    def clean(self) -> None:
        super().clean()
        if (
            self.publish_at
            and self.expires_on
            and timezone.localtime(self.publish_at).date() > self.expires_on
        ):
            raise ValidationError({"expires_on": "有效期不能早于定时发布时间。"})

    @property
    def is_public(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED and (
            self.expires_on is None or self.expires_on >= timezone.localdate()
        )

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "secondary")  # type: ignore[call-overload]

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == PublicationStatus.APPROVED
            and self.publish_at is not None
            and self.publish_at > timezone.now()
        )

    def editable_snapshot(self) -> dict[str, Any]:
        fields = (*self.CONTENT_FIELDS, *self.SCHEDULE_FIELDS)
        return {name: getattr(self, name) for name in fields}


class Revision(models.Model):
    """One saved version of a publishable item's editable fields (the version history)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    version = models.PositiveIntegerField("版本")
    snapshot = models.JSONField("内容快照", encoder=DjangoJSONEncoder)
    status = models.CharField("当时状态", max_length=12, choices=PublicationStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="修改人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "内容版本"
        verbose_name_plural = "内容版本"
        ordering = ["content_type", "object_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "version"], name="revision_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type}#{self.object_id} v{self.version}"


class PublicationAction(models.TextChoices):
    CREATE = "create", "创建"
    UPDATE = "update", "修改"
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回修改"
    SCHEDULE = "schedule", "定时发布"
    PUBLISH = "publish", "发布"
    WITHDRAW = "withdraw", "撤回"
    EXPIRE = "expire", "到期下线"
    EDIT = "edit", "修改后重新送审"


class PublicationEvent(WorkflowEvent):
    """One step of a publishable item's review and publication, whatever kind of content it is."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    # Proxy models of content keep their own type, as their revisions do.
    item = GenericForeignKey("content_type", "object_id", for_concrete_model=False)
    action = models.CharField("动作", max_length=30, choices=PublicationAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "发布记录"
        verbose_name_plural = "发布记录"
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}#{self.object_id} {self.action}"
