"""In-app notifications, the outbox of SMS and e-mail messages, and scheduled reminders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

from qifu.core.masking import mask_phone
from qifu.core.models import TimeStampedModel


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Any) -> NotificationQuerySet:
        """A user's own notifications; nobody reads another person's inbox."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(TimeStampedModel):
    """One item in a user's in-app inbox (站内消息)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=50, help_text="消息模板编码，例如 deadline_reminder")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=500, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            models.Index(
                fields=["user"],
                condition=Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Channel(models.TextChoices):
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class OutboxMessageQuerySet(models.QuerySet["OutboxMessage"]):
    def due(self, now: Any) -> OutboxMessageQuerySet:
        return self.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)


class OutboxMessage(TimeStampedModel):
    """An SMS or e-mail waiting for the worker: written with the business change, sent later.

    Delivery claims a row with a conditional UPDATE (status and claim token), so two workers never
    send the same message twice and a process that dies mid-send loses nothing.
    """

    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient = models.CharField("接收地址", max_length=254)
    kind = models.CharField("类型", max_length=50, blank=True)
    subject = models.CharField("主题", max_length=200, blank=True)
    body = models.TextField("内容")
    status = models.CharField(
        "状态",
        max_length=10,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("计划发送时间")
    claim_token = models.CharField("领取标记", max_length=32, blank=True)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = "待发消息"
        verbose_name_plural = "待发消息（短信与邮件）"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_status_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=[c.value for c in Channel]), name="outbox_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OutboxStatus]),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        if self.channel == Channel.SMS:
            return mask_phone(self.recipient)
        name, _, domain = self.recipient.partition("@")
        return f"{name[:1]}***@{domain}" if domain else self.recipient


class Reminder(TimeStampedModel):
    """A notification due at a future time; `key` makes scheduling the same reminder idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    key = models.CharField(
        "去重键", max_length=200, unique=True, help_text="例如 appeal:12:respond_due:user:3"
    )
    code = models.CharField("消息模板", max_length=50)
    context = models.JSONField("模板参数", default=dict, blank=True, encoder=DjangoJSONEncoder)
    url = models.CharField("链接", max_length=500, blank=True)
    remind_at = models.DateTimeField("提醒时间")
    sent_at = models.DateTimeField("已提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "定时提醒"
        verbose_name_plural = "定时提醒"
        ordering = ["remind_at", "id"]
        indexes = [
            models.Index(
                fields=["remind_at"],
                condition=Q(sent_at__isnull=True),
                name="reminder_unsent_due",
            ),
        ]

    def __str__(self) -> str:
        return self.key
