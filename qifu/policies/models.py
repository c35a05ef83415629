"""政策服务: the policy library with eligibility criteria (docs/api.md "Policies")."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models

from qifu.accounts.models import Department, Section
from qifu.core.models import TimeStampedModel, UploadedFile
from qifu.policies.criteria import CRITERIA_KEYS as CRITERIA_KEYS
from qifu.publishing.models import Publishable


# The stubs cannot resolve reverse managers of models whose manager comes from a queryset's
# as_manager() on an abstract base (interpretations, lectures); the relations are plain FKs.
class Policy(Publishable):  # type: ignore[django-manager-missing]
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

        from qifu.policies.criteria import validate_criteria, validate_industries

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
        """The policy in the exchange format of docs/api.md."""
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


class PolicyAttachment(UploadedFile):
    """A file of a policy (the signed original, application forms), checked by its content."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to="policies/attachments/%Y/%m/")
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "政策附件"
        verbose_name_plural = "政策附件"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# --- 政策解读、专题、在线讲堂 ---------------------------------------------------------------


def _upload_path(folder: str, filename: str) -> str:
    """A random stored name: the browser's file name is never used as a path."""
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"policies/{folder}/{uuid.uuid4().hex}.{extension}"


def interpretation_image_path(instance: Any, filename: str) -> str:
    return _upload_path("interpretations", filename)


def topic_cover_path(instance: Any, filename: str) -> str:
    return _upload_path("topics", filename)


HTTP_URL = URLValidator(
    schemes=["http", "https"], message="请填写以 http:// 或 https:// 开头的网址。"
)


class InterpretationKind(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    VIDEO = "video", "视频解读"


class Interpretation(Publishable):
    """政策解读: a text, a graphic or a video explaining one policy, reviewed before publishing."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "policy",
        "kind",
        "title",
        "summary",
        "body",
        "image",
        "video_url",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    policy = models.ForeignKey(
        Policy, verbose_name="解读的政策", on_delete=models.PROTECT, related_name="interpretations"
    )
    kind = models.CharField(
        "形式", max_length=10, choices=InterpretationKind.choices, default=InterpretationKind.TEXT
    )
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文", blank=True)
    image = models.FileField("图解图片", upload_to=interpretation_image_path, blank=True)
    video_url = models.URLField("视频链接", blank=True, validators=[HTTP_URL])

    class Meta(Publishable.Meta):
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="interp_status_pub_idx"),
            models.Index(fields=["section", "status"], name="interp_section_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.kind == InterpretationKind.TEXT and not self.body.strip():
            raise ValidationError({"body": "文字解读请填写正文。"})
        if self.kind == InterpretationKind.GRAPHIC and not self.image:
            raise ValidationError({"image": "图解请上传图片。"})
        if self.kind == InterpretationKind.VIDEO and not self.video_url:
            raise ValidationError({"video_url": "视频解读请填写视频链接。"})

    def editable_snapshot(self) -> dict[str, Any]:
        snapshot = super().editable_snapshot()
        snapshot["policy"] = self.policy_id
        snapshot["image"] = self.image.name if self.image else ""
        return snapshot

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("policies:extra_edit", args=["interpretations", self.pk])


class Topic(Publishable):
    """政策专题: a curated, ordered collection of policies on one theme."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "summary", "cover", "policy_codes")

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("简介", blank=True)
    cover = models.FileField("封面图片", upload_to=topic_cover_path, blank=True)
    policies: models.ManyToManyField[Policy, TopicPolicy] = models.ManyToManyField(
        Policy, through="TopicPolicy", related_name="topics", verbose_name="政策"
    )

    class Meta(Publishable.Meta):
        verbose_name = "政策专题"
        verbose_name_plural = "政策专题"
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="topic_status_pub_idx"),
            models.Index(fields=["section", "status"], name="topic_section_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def policy_codes(self) -> list[str]:
        """The codes of the topic's policies in order; a pending list until the service saves it."""
        pending: list[str] | None = getattr(self, "_pending_codes", None)
        if pending is not None:
            return pending
        if self.pk is None:
            return []
        return list(
            TopicPolicy.objects.filter(topic_id=self.pk)
            .order_by("position", "id")
            .values_list("policy__code", flat=True)
        )

    @policy_codes.setter
    def policy_codes(self, codes: list[str]) -> None:
        self._pending_codes = list(codes)

    def editable_snapshot(self) -> dict[str, Any]:
        snapshot = super().editable_snapshot()
        snapshot["cover"] = self.cover.name if self.cover else ""
        return snapshot

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("policies:extra_edit", args=["topics", self.pk])


class TopicPolicy(models.Model):
    """A policy's place in a topic."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="entries")
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "专题政策"
        verbose_name_plural = "专题政策"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "policy"], name="topic_policy_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.position}"


class Lecture(Publishable):
    """政策在线讲堂: a scheduled talk with registration, a reminder, and a replay afterwards."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "speaker",
        "policy",
        "summary",
        "starts_at",
        "ends_at",
        "place",
        "online_url",
        "capacity",
        "replay_url",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    title = models.CharField("标题", max_length=200)
    speaker = models.CharField("主讲人", max_length=100)
    policy = models.ForeignKey(
        Policy,
        verbose_name="相关政策",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lectures",
    )
    summary = models.TextField("简介", blank=True)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200, blank=True)
    online_url = models.URLField("线上参加链接", blank=True, validators=[HTTP_URL])
    capacity = models.PositiveIntegerField("名额")
    replay_url = models.URLField("回放链接", blank=True, validators=[HTTP_URL])

    class Meta(Publishable.Meta):
        verbose_name = "政策在线讲堂"
        verbose_name_plural = "政策在线讲堂"
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="lecture_status_starts_idx"),
            models.Index(fields=["section", "status"], name="lecture_section_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        errors: dict[str, str] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "结束时间应晚于开始时间。"
        if not self.place.strip() and not self.online_url:
            errors["place"] = "请填写地点或线上参加链接。"
        if self.capacity is not None and self.capacity < 1:
            errors["capacity"] = "名额至少为1。"
        if errors:
            raise ValidationError(errors)

    def editable_snapshot(self) -> dict[str, Any]:
        snapshot = super().editable_snapshot()
        snapshot["policy"] = self.policy_id
        return snapshot

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("policies:extra_edit", args=["lectures", self.pk])

    def is_open_for_registration(self, now: Any) -> bool:
        return self.is_public and now < self.starts_at

    def has_replay(self, now: Any) -> bool:
        return bool(self.replay_url) and now >= self.ends_at


class LectureRegistration(models.Model):
    """One user's seat at a lecture (one per lecture and user)."""

    lecture = models.ForeignKey(Lecture, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lecture_registrations"
    )
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("报名时间", auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "讲堂报名"
        verbose_name_plural = "讲堂报名"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lecture", "user"], name="lecture_registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lecture_id} · {self.user_id}"

    @property
    def reminder_key(self) -> str:
        return f"lecture:{self.lecture_id}:user:{self.user_id}"
