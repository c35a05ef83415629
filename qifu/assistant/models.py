"""我要咨询: the knowledge base, the log of questions asked, and hand-off conversations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qifu.core.models import TimeStampedModel


class FaqStatus(models.TextChoices):
    DRAFT = "draft", "待审核"
    APPROVED = "approved", "已上线"
    RETIRED = "retired", "已下线"


class FaqAction(models.TextChoices):
    NONE = "", "仅答案"
    MATCHED_POLICIES = "matched_policies", "附上企业匹配的政策"


class FaqQuerySet(models.QuerySet["Faq"]):
    def live(self) -> FaqQuerySet:
        return self.filter(status=FaqStatus.APPROVED, is_active=True)


class Faq(TimeStampedModel):
    """One question of the knowledge base; it answers only once a second person approved it."""

    question = models.CharField("标准问题", max_length=200, unique=True)
    answer = models.TextField("答案")
    category = models.CharField("分类", max_length=50, blank=True)
    similar_questions = models.JSONField("相似问法", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=FaqStatus.choices, default=FaqStatus.DRAFT
    )
    is_active = models.BooleanField("启用", default=True)
    link = models.CharField(
        "办理链接",
        max_length=200,
        blank=True,
        help_text="站内页面地址（以 / 开头），如政策、办事指南或办理入口",
    )
    action = models.CharField(
        "答复动作", max_length=20, choices=FaqAction.choices, default=FaqAction.NONE, blank=True
    )
    # The embeddings of the question and similar questions (engine.phrasings), float16, and the
    # key of the texts and model they were computed from (engine.vectors_key).
    vectors = models.BinaryField("向量", default=b"", editable=False)
    vectors_key = models.CharField("向量版本", max_length=64, blank=True, editable=False)
    helpful_count = models.PositiveIntegerField("有用", default=0)
    unhelpful_count = models.PositiveIntegerField("没用", default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="编写人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("上线时间", null=True, blank=True)
    source_consultation = models.ForeignKey(
        "Consultation",
        verbose_name="来源咨询",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="faqs",
    )

    objects = FaqQuerySet.as_manager()

    class Meta:
        verbose_name = "知识库条目"
        verbose_name_plural = "知识库"
        ordering = ["category", "question"]

    def __str__(self) -> str:
        return self.question


class KnowledgeVersion(models.Model):
    """A single counter bumped on every change of the live base, so each process rebuilds."""

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "知识库版本"
        verbose_name_plural = "知识库版本"

    def __str__(self) -> str:
        return str(self.value)


class AskLog(models.Model):
    """One question put to the assistant: the source of answer and hand-off rates."""

    question = models.CharField("问题", max_length=500)
    faq = models.ForeignKey(
        Faq,
        verbose_name="匹配条目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ask_logs",
    )
    score = models.FloatField("置信度", default=0.0)
    is_answered = models.BooleanField("已回答", default=False)
    # "您是不是想问": the entries offered, and the one the asker chose (feedback for curators).
    suggested_ids = models.JSONField("推荐问题", default=list, blank=True)
    chosen_faq = models.ForeignKey(
        Faq,
        verbose_name="选择的问题",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chosen_logs",
    )
    is_unhelpful = models.BooleanField("评价没用", default=False)
    # The published policies and matter guides the question named (the second source, cited).
    sources = models.JSONField("引用来源", default=list, blank=True)
    consultation = models.ForeignKey(
        "Consultation",
        verbose_name="转人工咨询",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField("提问时间", db_index=True)

    class Meta:
        verbose_name = "提问记录"
        verbose_name_plural = "提问记录"

    def __str__(self) -> str:
        return self.question[:40]


class ConsultationStatus(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已关闭"


class ConsultationQuerySet(models.QuerySet["Consultation"]):
    def for_user(self, user: Any) -> ConsultationQuerySet:
        """Platform staff see every conversation; an enterprise user only their enterprise's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_staff:
            return self
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.none()


class Consultation(TimeStampedModel):
    """A question the assistant could not answer, handed to a person (人工客服)."""

    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提问人",
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    question = models.CharField("问题", max_length=500)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=ConsultationStatus.choices,
        default=ConsultationStatus.OPEN,
        db_index=True,
    )
    answer_expected_at = models.DateTimeField("预计答复时间")
    # What was asked and answered before the hand-off, so the person sees the whole conversation.
    transcript = models.JSONField("转人工前的对话", default=list, blank=True)
    last_message_at = models.DateTimeField("最近消息时间", db_index=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "人工咨询"
        verbose_name_plural = "人工咨询"
        ordering = ["-last_message_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ConsultationStatus.values),
                name="consultation_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.question[:40]


class ConsultationMessage(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发言人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_staff_reply = models.BooleanField("工作人员答复", default=False)
    text = models.TextField("内容")
    at = models.DateTimeField("时间", db_index=True)

    class Meta:
        verbose_name = "咨询消息"
        verbose_name_plural = "咨询消息"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已采纳"
    REJECTED = "rejected", "未采纳"


class SimilarQuestionProposal(TimeStampedModel):
    """A user's wording for an entry (chosen under "您是不是想问"), waiting for a curator.

    It joins the entry's similar questions only when platform staff approve it, like every
    change of the live base.
    """

    faq = models.ForeignKey(
        Faq, verbose_name="知识库条目", on_delete=models.CASCADE, related_name="proposals"
    )
    text = models.CharField("用户问法", max_length=200)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
        db_index=True,
    )
    times = models.PositiveIntegerField("被选择次数", default=1)
    source_log = models.ForeignKey(
        AskLog, verbose_name="来源提问", null=True, blank=True, on_delete=models.SET_NULL
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "相似问法建议"
        verbose_name_plural = "相似问法建议"
        ordering = ["-times", "-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["faq", "text"], name="proposal_unique_per_entry")
        ]

    def __str__(self) -> str:
        return self.text
