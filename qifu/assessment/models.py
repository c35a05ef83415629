"""The scoring method (versioned, reviewed), published periods and their reports (通报)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from qifu.core.models import TimeStampedModel, WorkflowEvent


class MethodStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已生效"
    RETURNED = "returned", "退回修改"


class MethodVersion(TimeStampedModel):
    """One version of the scoring method: weights, floors, deductions (as data). It applies once a
    second person approves it; the latest approved version scores every period not yet published."""

    version = models.PositiveIntegerField("版本号", unique=True)
    status = models.CharField(
        "状态", max_length=10, choices=MethodStatus.choices, default=MethodStatus.DRAFT
    )
    data = models.JSONField("考核办法参数", default=dict)
    note = models.TextField("修订说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("生效时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "考核办法版本"
        verbose_name_plural = "考核办法版本"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"考核办法第{self.version}版"

    @property
    def number(self) -> str:
        return f"第{self.version}版"


class MethodAction(models.TextChoices):
    DRAFT = "draft", "起草"
    EDIT = "edit", "修改"
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "审核通过并生效"
    RETURN = "return", "退回修改"


class MethodEvent(WorkflowEvent):
    method = models.ForeignKey(MethodVersion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=MethodAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "考核办法流转记录"
        verbose_name_plural = "考核办法流转记录"


class PublishedPeriod(TimeStampedModel):
    """The figures of a period as published, with the method version they were computed with: a
    later change of method never rewrites them (`assessment_recompute` compares against them)."""

    period = models.CharField("考核周期", max_length=10, unique=True)
    method_version = models.PositiveIntegerField("考核办法版本")
    method_data = models.JSONField("考核办法参数")
    rows = models.JSONField("排名与得分")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField("发布时间")

    class Meta:
        verbose_name = "已发布考核周期"
        verbose_name_plural = "已发布考核周期"
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.period


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "退回修改"


class PeriodReport(TimeStampedModel):
    """通报: generated from a period's figures, reviewed by a second person, then published."""

    period = models.CharField("考核周期", max_length=10, unique=True)
    title = models.CharField("标题", max_length=100)
    foreword = models.TextField("通报说明", max_length=3000, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    # The generated body: ranking, below floors, overdue and supervised by department, examples.
    content = models.JSONField("通报内容", default=dict)
    method_version = models.PositiveIntegerField("考核办法版本")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "考核通报"
        verbose_name_plural = "考核通报"
        ordering = ["-period"]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"通报{self.period}"

    def rows(self) -> list[dict[str, Any]]:
        return list(self.content.get("ranking", []))


class ReportAction(models.TextChoices):
    GENERATE = "generate", "生成通报"
    EDIT = "edit", "修改"
    SUBMIT = "submit", "提交审核"
    PUBLISH = "publish", "审核通过并发布"
    RETURN = "return", "退回修改"


class ReportEvent(WorkflowEvent):
    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=ReportAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "通报流转记录"
        verbose_name_plural = "通报流转记录"
