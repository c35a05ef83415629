"""政策服务: the policy library with eligibility criteria (CONTRACT.md "Policies")."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from qifu.accounts.models import Department, Section
from qifu.core.models import TimeStampedModel
from qifu.publishing.models import Publishable

# Keys of `Policy.criteria` (CONTRACT.md): each optional; all present must hold.
CRITERIA_KEYS = (
    "scales",
    "qualifications_all",
    "qualifications_any",
    "regions",
    "min_employees",
    "max_employees",
    "min_registered_capital",
    "min_revenue",
    "max_revenue",
    "min_years_since_founding",
    "max_years_since_founding",
    "min_rd_ratio",
)


class Policy(Publishable):
    """A policy document in the library, published through review like all content."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "doc_number",
        "issuer",
        "published_on",
        "summary",
        "body",
        "industries",
        "criteria",
        "tags",
        "benefit",
        "how_to_apply",
        "is_auto_grant",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    code = models.CharField("政策编码", max_length=40, unique=True)
    title = models.CharField("标题", max_length=200)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    issuer = models.ForeignKey(
        Department, verbose_name="发布部门", on_delete=models.PROTECT, related_name="policies"
    )
    published_on = models.DateField("发布日期")
    summary = models.TextField("摘要", blank=True)
    body = models.TextField("正文", blank=True)
    industries = models.JSONField("适用行业", default=list, blank=True)
    criteria = models.JSONField("申报条件", default=dict, blank=True)
    tags = models.JSONField("标签", default=list, blank=True)
    benefit = models.CharField("扶持内容", max_length=300, blank=True)
    how_to_apply = models.TextField("申报方式", blank=True)
    is_auto_grant = models.BooleanField("免申即享", default=False)
    search_text = models.TextField(blank=True, editable=False)
    # When the yearly "please review" notice last went to the issuer (see policies.tasks).
    stale_flagged_at = models.DateTimeField("提醒复核时间", null=True, blank=True, editable=False)

    class Meta(Publishable.Meta):
        verbose_name = "政策"
        verbose_name_plural = "政策"
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="policy_status_pub_idx"),
            models.Index(fields=["issuer", "status"], name="policy_issuer_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def editable_snapshot(self) -> dict[str, Any]:
        """Revisions are JSON: the issuer is kept as its id."""
        snapshot = super().editable_snapshot()
        snapshot["issuer"] = self.issuer_id
        return snapshot

    def clean(self) -> None:
        """Criteria and industries are a contract: malformed ones are refused, never ignored."""
        from django.core.exceptions import ValidationError

        from qifu.policies.matching import validate_criteria, validate_industries

        super().clean()
        errors: dict[str, list[str]] = {}
        try:
            self.criteria = validate_criteria(self.criteria)
        except ValidationError as exc:
            errors["criteria"] = exc.messages
        try:
            self.industries = validate_industries(self.industries)
        except ValidationError as exc:
            errors["industries"] = exc.messages
        if not isinstance(self.tags, list) or not all(isinstance(t, str) for t in self.tags):
            errors["tags"] = ["标签应为文字列表。"]
        if errors:
            raise ValidationError(errors)

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("policies:edit", args=[self.pk])

    def as_exchange(self) -> dict[str, Any]:
        """The policy in the exchange format of CONTRACT.md."""
        return {
            "code": self.code,
            "title": self.title,
            "issuer": self.issuer.name,
            "doc_number": self.doc_number,
            "published_on": self.published_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "summary": self.summary,
            "body": self.body,
            "industries": self.industries,
            "criteria": self.criteria,
        }


class SubscriptionKind(models.TextChoices):
    DEPARTMENT = "department", "发布部门"
    INDUSTRY = "industry", "行业"
    TAG = "tag", "标签"
    KEYWORD = "keyword", "关键词"


class OwnedQuerySet(models.QuerySet[Any]):
    def for_user(self, user: Any) -> OwnedQuerySet:
        """A user's own rows only."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user_id=user.pk)


class PolicySubscription(TimeStampedModel):
    """New policies a user asked to hear about (订阅), besides those the enterprise fits."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_subscriptions"
    )
    kind = models.CharField("订阅类型", max_length=12, choices=SubscriptionKind.choices)
    value = models.CharField("订阅内容", max_length=100)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "政策订阅"
        verbose_name_plural = "政策订阅"
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "value"], name="policy_subscription_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.value}"  # type: ignore[attr-defined]


class PolicyMute(TimeStampedModel):
    """A tag a user does not want pushed (屏蔽), even for policies the enterprise qualifies for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_mutes"
    )
    tag = models.CharField("屏蔽标签", max_length=50)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "屏蔽的政策标签"
        verbose_name_plural = "屏蔽的政策标签"
        ordering = ["tag"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="policy_mute_unique"),
        ]

    def __str__(self) -> str:
        return self.tag


class AutoGrantStatus(models.TextChoices):
    LISTED = "listed", "待确认"
    CONFIRMED = "confirmed", "已确认兑现"


class AutoGrantQuerySet(models.QuerySet["AutoGrant"]):
    def for_user(self, user: Any) -> AutoGrantQuerySet:
        """The issuing department's staff see its lists; an enterprise sees its own rows."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.is_government and user.department_id:
            return self.filter(policy__issuer_id=user.department_id)
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.none()


class AutoGrant(TimeStampedModel):
    """An enterprise listed for a 免申即享 policy at publication, until the issuer confirms it."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="auto_grants")
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.CASCADE, related_name="policy_auto_grants"
    )
    status = models.CharField(
        "状态", max_length=12, choices=AutoGrantStatus.choices, default=AutoGrantStatus.LISTED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = AutoGrantQuerySet.as_manager()

    class Meta:
        verbose_name = "免申即享名单"
        verbose_name_plural = "免申即享名单"
        ordering = ["status", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="auto_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.enterprise}"
