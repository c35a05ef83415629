"""我要办事: the matter catalogue, online applications and e-licences (measures, art. 7)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role
from qifu.core.models import TimeStampedModel, UploadedFile, WorkflowEvent


class LifeStage(models.TextChoices):
    START = "start", "开办"
    CHANGE = "change", "变更"
    OPERATE = "operate", "经营"
    CONSTRUCT = "construct", "工程建设"
    CLOSE = "close", "注销"


class HandlingMode(models.TextChoices):
    ONLINE = "online", "平台内在线办理"
    EXTERNAL = "external", "外部系统办理"
    OFFLINE = "offline", "窗口办理"


class Matter(TimeStampedModel):
    """One matter (事项) with its service guide."""

    code = models.CharField("事项编码", max_length=30, unique=True)
    name = models.CharField("事项名称", max_length=100)
    department = models.ForeignKey(
        Department, verbose_name="实施部门", on_delete=models.PROTECT, related_name="matters"
    )
    life_stage = models.CharField(
        "企业生命周期", max_length=10, choices=LifeStage.choices, db_index=True
    )
    conditions = models.TextField("办理条件", blank=True)
    materials = models.JSONField("申请材料", default=list, blank=True)
    legal_limit_days = models.PositiveIntegerField("法定时限（工作日）", null=True, blank=True)
    promised_limit_days = models.PositiveIntegerField("承诺时限（工作日）", default=5)
    fee = models.CharField("收费标准", max_length=100, default="不收费")
    where_to_apply = models.CharField("办理地点", max_length=200, blank=True)
    how_to_apply = models.TextField("办理方式", blank=True)
    handling_mode = models.CharField(
        "办理渠道", max_length=10, choices=HandlingMode.choices, default=HandlingMode.ONLINE
    )
    connector_code = models.CharField(
        "外部系统编码", max_length=30, blank=True, help_text="外部系统办理时填写，如 yichuangtong"
    )
    licence_name = models.CharField(
        "核发证照名称",
        max_length=60,
        blank=True,
        help_text="办结后核发电子证照的名称，不核发则留空",
    )
    licence_valid_years = models.PositiveIntegerField("证照有效期（年）", null=True, blank=True)
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(handling_mode="external") | ~models.Q(connector_code=""),
                name="matter_external_has_connector",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_online(self) -> bool:
        return self.handling_mode == HandlingMode.ONLINE


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    SUPPLEMENT = "supplement", "待补正"
    APPROVED = "approved", "已办结（准予）"
    REFUSED = "refused", "不予许可"


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.SUPPLEMENT)


class MatterApplicationQuerySet(models.QuerySet["MatterApplication"]):
    def for_user(self, user: Any) -> MatterApplicationQuerySet:
        """An enterprise its own; a department those for its matters (not drafts); staff all."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.has_role(Role.PLATFORM_STAFF, Role.SUPERVISOR):
            return self.exclude(status=Status.DRAFT)
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.department_id and user.is_government:
            return self.filter(matter__department_id=user.department_id).exclude(
                status=Status.DRAFT
            )
        return self.none()


class MatterApplication(TimeStampedModel):
    """An enterprise's online application for a matter (办件)."""

    number = models.CharField("办件编号", max_length=20, unique=True)
    matter = models.ForeignKey(
        Matter, verbose_name="事项", on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="matter_applications",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    description = models.TextField("申请说明", max_length=2000, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    due_at = models.DateTimeField("办理期限", null=True, blank=True, db_index=True)
    # The matter's promised limit when the application was (re)submitted: `due_at` is that many
    # working days after `submitted_at`, and is recomputed from them when the holidays change.
    due_working_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", null=True, blank=True, editable=False
    )
    # The deadline for which the sweep last reminded / reported overdue: each fires once.
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_marked_for = models.DateTimeField(null=True, blank=True, editable=False)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    reason = models.TextField("补正或不予许可理由", blank=True)

    objects = MatterApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.matter.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < timezone.now())


def material_path(instance: MatterMaterial, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"matters/{instance.application_id}/{uuid.uuid4().hex}.{extension}"


class MatterMaterial(UploadedFile):
    """A file the enterprise attached to its application."""

    application = models.ForeignKey(
        MatterApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=material_path, max_length=300)
    uploaded_by = None  # the enterprise's application owns its materials

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.original_name


class Action(models.TextChoices):
    CREATE = "create", "填写申请"
    ATTACH = "attach", "上传材料"
    SUBMIT = "submit", "提交申请"
    RESUBMIT = "resubmit", "补正后重新提交"
    ACCEPT = "accept", "受理"
    SUPPLEMENT = "supplement", "一次性告知补正"
    APPROVE = "approve", "办结（准予）"
    REFUSE = "refuse", "不予许可"
    LICENCE = "licence", "核发电子证照"
    DEADLINE_CHANGED = "deadline_changed", "期限调整"


class MatterEvent(WorkflowEvent):
    """One step of an application: its timeline and audit trail."""

    application = models.ForeignKey(
        MatterApplication, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=30, choices=Action.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "办件记录"
        verbose_name_plural = "办件记录"

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


class LicenceSource(models.TextChoices):
    PLATFORM = "platform", "平台审批核发"
    IMPORTED = "imported", "外部导入"


class LicenceValidity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRING = "expiring", "即将到期"
    EXPIRED = "expired", "已过期"
    PERMANENT = "permanent", "长期有效"


class ELicence(TimeStampedModel):
    """An e-licence (电子证照) held by an enterprise: issued on approval here, or imported.

    An imported licence names its issuing authority in `issuer` when that authority is not one of
    our departments (e.g. a provincial bureau); `department` is then empty.
    """

    number = models.CharField("证照编号", max_length=40, unique=True)
    name = models.CharField("证照名称", max_length=60)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="持证企业", on_delete=models.PROTECT, related_name="elicences"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="发证部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    source = models.CharField(
        "来源", max_length=20, choices=LicenceSource.choices, default=LicenceSource.PLATFORM
    )
    scope = models.TextField("许可范围", max_length=1000, blank=True)
    application = models.OneToOneField(
        MatterApplication,
        verbose_name="办件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="elicence",
    )
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="空表示长期有效")

    class Meta:
        verbose_name = "电子证照"
        verbose_name_plural = "电子证照"
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["valid_until"], name="elicence_valid_until")]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"

    @property
    def issuer_name(self) -> str:
        """The issuing authority in words, whichever way it was recorded."""
        if self.department_id is not None and self.department is not None:
            return self.department.name
        return self.issuer

    def days_left(self, today: Any) -> int | None:
        """Days from `today` to the last valid day (0 on it, negative after); None if permanent."""
        return None if self.valid_until is None else (self.valid_until - today).days

    def validity(self, today: Any, *, warn_days: int) -> LicenceValidity:
        """有效 / 即将到期 (within `warn_days`) / 已过期 / 长期有效 on `today`."""
        left = self.days_left(today)
        if left is None:
            return LicenceValidity.PERMANENT
        if left < 0:
            return LicenceValidity.EXPIRED
        if left <= warn_days:
            return LicenceValidity.EXPIRING
        return LicenceValidity.VALID
