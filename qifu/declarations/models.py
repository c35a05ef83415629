"""项目申报: calls (申报通知), applications, their timeline, materials and objections."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Enterprise, Section
from qifu.core.models import TimeStampedModel, UploadedFile, WorkflowEvent
from qifu.publishing.models import Publishable


class Call(Publishable):
    """A call for applications implementing a policy, published through review like all content."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "policy_id",
        "title",
        "body",
        "criteria",
        "industries",
        "opens_on",
        "closes_on",
        "required_materials",
        "review_working_days",
        "publicity_days",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    policy = models.ForeignKey(
        "policies.Policy",
        verbose_name="依据政策",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("通知正文")
    criteria = models.JSONField(
        "申报条件", default=dict, blank=True, help_text="留空则沿用依据政策的条件"
    )
    industries = models.JSONField(
        "适用行业", default=list, blank=True, help_text="行业代码或前缀；留空沿用政策或不限"
    )
    opens_on = models.DateField("申报开始日期")
    closes_on = models.DateField("申报截止日期")
    required_materials = models.JSONField("申报材料", default=list, blank=True)
    review_working_days = models.PositiveSmallIntegerField("每环节审核时限（工作日）", default=5)
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）", default=5)

    class Meta(Publishable.Meta):
        verbose_name = "申报通知"
        verbose_name_plural = "申报通知"
        ordering = ["-opens_on", "-id"]
        indexes = [
            models.Index(fields=["status", "-opens_on"], name="call_status_opens_idx"),
            models.Index(fields=["provider_department", "status"], name="call_provider_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def manage_url(self) -> str:
        return reverse("declarations:call_edit", args=[self.pk])

    def get_absolute_url(self) -> str:
        return reverse("declarations:call_detail", args=[self.pk])

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    @property
    def effective_criteria(self) -> dict[str, Any]:
        if self.criteria:
            return dict(self.criteria)
        return dict(self.policy.criteria) if self.policy is not None else {}

    @property
    def effective_industries(self) -> list[str]:
        if self.industries:
            return list(self.industries)
        return list(self.policy.industries) if self.policy is not None else []


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    RETURNED = "returned", "退回补正"
    REJECTED = "rejected", "不予通过"
    APPROVED = "approved", "审核通过"
    PUBLICIZED = "publicized", "公示中"
    OBJECTION = "objection", "异议处理中"
    FINAL = "final", "公示结束"


# Shown on the public publicity page: what has passed review and is being or has been publicised.
PUBLIC_STATUSES = (ApplicationStatus.PUBLICIZED, ApplicationStatus.OBJECTION)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def for_user(self, user: Any) -> ApplicationQuerySet:
        """The enterprise's own; for government, applications to calls its department provides,
        once submitted (a draft is the enterprise's until it is sent, as in 我要办事)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.is_government:
            return self.filter(call__provider_department_id=user.department_id).exclude(
                status=ApplicationStatus.DRAFT
            )
        return self.none()


NUMBER_PREFIX = "SB"


class Application(TimeStampedModel):
    """One enterprise's application to a call; the workflow lives in services."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="申报企业", on_delete=models.PROTECT, related_name="applications"
    )
    call = models.ForeignKey(
        Call, verbose_name="申报通知", on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    project_name = models.CharField("项目名称", max_length=200)
    summary = models.TextField("项目简介", blank=True)
    amount = models.DecimalField(
        "申请金额（万元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    reason = models.TextField("退回或不予通过理由", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accept_due_at = models.DateTimeField("受理时限", null=True, blank=True)
    decide_due_at = models.DateTimeField("审核时限", null=True, blank=True)
    # What the deadlines were computed from, so that a change of the holidays can redo them:
    # accept_due_at = review_working_days after submitted_at; decide_due_at = the same after
    # decide_due_from (acceptance, or an upheld objection); publicity_ends_at =
    # publicity_working_days after publicity_starts_at. The call's limits may change later.
    review_working_days = models.PositiveSmallIntegerField(
        "审核时限（工作日）", null=True, blank=True, editable=False
    )
    decide_due_from = models.DateTimeField("审核时限起算", null=True, blank=True, editable=False)
    publicity_working_days = models.PositiveSmallIntegerField(
        "公示期（工作日）", null=True, blank=True, editable=False
    )
    # The deadline for which the sweep last reminded / reported overdue: each fires once.
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_marked_for = models.DateTimeField(null=True, blank=True, editable=False)
    publicity_starts_at = models.DateTimeField("公示开始", null=True, blank=True)
    publicity_ends_at = models.DateTimeField("公示结束", null=True, blank=True)
    finalised_at = models.DateTimeField("公示完成时间", null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "项目申报"
        verbose_name_plural = "项目申报"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "call"], name="application_one_per_call"),
        ]
        indexes = [
            models.Index(fields=["call", "status"], name="application_call_status_idx"),
            models.Index(fields=["status", "publicity_ends_at"], name="application_publicity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.project_name}"

    def get_absolute_url(self) -> str:
        return reverse("declarations:application_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """申报编号, derived from the row (no column): quoted to look up progress (办件进度查询)."""
        return f"{NUMBER_PREFIX}{self.pk:08d}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class ApplicationAction(models.TextChoices):
    DRAFT = "draft", "保存草稿"
    SUBMIT = "submit", "提交申报"
    ACCEPT = "accept", "受理"
    RETURN = "return", "退回补正"
    REJECT = "reject", "不予通过"
    APPROVE = "approve", "审核通过"
    PUBLISH = "publish", "结果公示"
    OBJECT = "object", "提出异议"
    UPHOLD = "uphold", "异议成立，重新审核"
    DISMISS = "dismiss", "异议不成立，继续公示"
    FINALISE = "finalise", "公示结束"
    DEADLINE_CHANGED = "deadline_changed", "期限调整"


class ApplicationEvent(WorkflowEvent):
    """One step of an application (申报流转记录): the timeline and the audit trail."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=30, choices=ApplicationAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "申报流转记录"
        verbose_name_plural = "申报流转记录"

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


def application_file_path(instance: ApplicationFile, filename: str) -> str:
    return f"declarations/{instance.application_id}/{filename}"


class ApplicationFile(UploadedFile):
    """A required material uploaded with an application, checked by its content."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    material = models.CharField("材料名称", max_length=100)
    file = models.FileField("文件", upload_to=application_file_path, max_length=300)

    class Meta:
        verbose_name = "申报材料"
        verbose_name_plural = "申报材料"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.material}: {self.original_name}"


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", "待答复"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class Objection(TimeStampedModel):
    """An objection to a publicised result (公示异议); the call's department answers it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="objections"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("异议理由")
    status = models.CharField(
        "状态", max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} 异议"
