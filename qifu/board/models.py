"""我要留言: messages from enterprises and visitors, answered or turned into work orders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from qifu.accounts.models import Enterprise, Role
from qifu.core.masking import mask_phone
from qifu.core.models import TimeStampedModel


class MessageStatus(models.TextChoices):
    NEW = "new", "待答复"
    ANSWERED = "answered", "已答复"
    CONVERTED = "converted", "已转办件"


class MessageQuerySet(models.QuerySet["Message"]):
    def for_user(self, user: Any) -> MessageQuerySet:
        """Platform staff see every message; an enterprise user its enterprise's; others none."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.has_role(Role.PLATFORM_STAFF):
            return self
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.filter(created_by=user)


class Message(TimeStampedModel):
    """One message (留言); `appeal` is the work order it became, if it did."""

    number = models.CharField("留言编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_messages",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="留言用户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A visitor without an account: name, company and a phone verified by an SMS code.
    visitor_name = models.CharField("姓名", max_length=50, blank=True)
    company_name = models.CharField("企业名称", max_length=200, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    phone = models.CharField("手机号", max_length=11, blank=True, db_index=True)
    phone_verified_at = models.DateTimeField("手机验证时间", null=True, blank=True)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("留言内容", max_length=2000)
    category = models.ForeignKey(
        "appeals.AppealCategory",
        verbose_name="类别",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=MessageStatus.choices,
        default=MessageStatus.NEW,
        db_index=True,
    )
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name="转办诉求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="board_messages",
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="转办人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    converted_at = models.DateTimeField("转办时间", null=True, blank=True)
    is_public = models.BooleanField("公开", default=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def author_name(self) -> str:
        if self.created_by_id and self.created_by is not None:
            return str(self.created_by)
        return self.visitor_name

    @property
    def author_company(self) -> str:
        return self.enterprise.name if self.enterprise else self.company_name

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
