"""Construction projects followed by the project steward (项目管家, measures article 8).

A project moves through five stages, 立项 → 用地 → 规划 → 施工 → 竣工验收. They refine the
four national stages of 工程建设项目审批 (国办发〔2019〕11号, facts §7.3):

- 立项 and 用地 split the first national stage, 立项用地规划许可 (立项: 备案/核准;
  用地: 用地预审与选址, 建设用地规划许可);
- 规划 is the second (工程建设许可), 施工 the third (施工许可), 竣工验收 the fourth.

Each stage has items copied from the city's templates, with time limits in working days,
planned dates computed by the working-day calendar, actual dates recorded by the steward, and
a history row for every change (the enterprise's view of it, and the audit of it).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Department, DepartmentKind, Enterprise, Role
from qifu.core.models import TimeStampedModel, UploadedFile


class Stage(models.TextChoices):
    APPROVAL = "approval", "立项"
    LAND = "land", "用地"
    PLANNING = "planning", "规划"
    CONSTRUCTION = "construction", "施工"
    ACCEPTANCE = "acceptance", "竣工验收"


STAGE_ORDER: list[str] = [s.value for s in Stage]

# The national stage (国办发〔2019〕11号) each of our five stages belongs to.
NATIONAL_STAGE: dict[str, str] = {
    Stage.APPROVAL: "第一阶段 立项用地规划许可",
    Stage.LAND: "第一阶段 立项用地规划许可",
    Stage.PLANNING: "第二阶段 工程建设许可",
    Stage.CONSTRUCTION: "第三阶段 施工许可",
    Stage.ACCEPTANCE: "第四阶段 竣工验收",
}


class ProjectKind(models.TextChoices):
    RECORD = "record", "企业投资（备案）"
    APPROVE = "approve", "企业投资（核准）"
    GOVERNMENT = "government", "政府投资（审批）"


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "推进中"
    COMPLETED = "completed", "已竣工"
    SUSPENDED = "suspended", "已暂停"


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "已完成"
    WAIVED = "waived", "免于办理"


CLOSED_ITEM_STATUSES = frozenset({ItemStatus.DONE, ItemStatus.WAIVED})

# 投资项目代码 (全国投资项目在线审批监管平台): 年份(4)-行政区划(6)-行业(2)-类别(2)-流水号(6);
# checked loosely (digits and dashes in that shape), since older codes and test codes vary.
project_code_validator = RegexValidator(
    r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$",
    "项目代码格式应为 2609-371082-04-01-123456（年份-区划-行业-类别-流水号）。",
)


class ProjectQuerySet(models.QuerySet["Project"]):
    def for_user(self, user: Any) -> ProjectQuerySet:
        """Projects a user may see: platform staff all, a steward theirs, an enterprise its own,
        a department (read-only) those with at least one item it is responsible for."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_platform_staff:
            return self
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.is_government:
            mine = Q(steward=user)
            # Only the people handling a department's work (its administrator and handlers) see
            # the projects it has items in: a commissioner or steward who happens to sit in the
            # approval agency sees their own projects, not every project of the city.
            if user.has_role(Role.DEPARTMENT_ADMIN, Role.DEPARTMENT_HANDLER):
                handles = ProjectItem.objects.filter(
                    project=models.OuterRef("pk"), department_id=user.department_id
                )
                mine |= Q(models.Exists(handles))
            return self.filter(mine)
        return self.none()


class Project(TimeStampedModel):
    """A construction project of an enterprise, followed by its steward."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField("项目名称", max_length=200)
    code = models.CharField(
        "项目代码", max_length=30, blank=True, validators=[project_code_validator]
    )
    kind = models.CharField(
        "项目类型", max_length=20, choices=ProjectKind.choices, default=ProjectKind.RECORD
    )
    total_investment = models.DecimalField(
        "总投资（万元）", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    town = models.ForeignKey(
        Department,
        verbose_name="所在镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": DepartmentKind.TOWN},
    )
    site = models.CharField("建设地点", max_length=200, blank=True)
    planned_start_on = models.DateField("计划开始日期")
    planned_completion_on = models.DateField("计划完成日期", null=True, blank=True)
    completed_on = models.DateField("实际完成日期", null=True, blank=True)
    steward = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="项目管家",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewarded_projects",
    )
    status = models.CharField(
        "状态", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE
    )
    current_stage = models.CharField(
        "当前阶段", max_length=20, choices=Stage.choices, default=Stage.APPROVAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "建设项目"
        verbose_name_plural = "建设项目"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="project_code_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-created_at"]),
            models.Index(fields=["steward", "status"]),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectItemTemplate(TimeStampedModel):
    """One item of the city's standard list, copied into every new project."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=100)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    department_code = models.CharField("责任部门编码", max_length=40, blank=True)
    working_days = models.PositiveSmallIntegerField(
        "办理时限（工作日）", help_text="法定或承诺时限；0 表示即时办结"
    )
    order = models.PositiveSmallIntegerField("顺序", default=100)
    depends_on = models.CharField(
        "前置事项编码",
        max_length=200,
        blank=True,
        help_text="以逗号分隔的事项编码；留空表示在上一阶段全部事项完成后开始",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "项目事项模板"
        verbose_name_plural = "项目事项模板"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} · {self.name}"

    @property
    def dependency_codes(self) -> list[str]:
        return [c.strip() for c in self.depends_on.split(",") if c.strip()]


class ProjectItem(TimeStampedModel):
    """One approval item of a project, with its plan and what actually happened."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField("编码", max_length=40)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    name = models.CharField("事项名称", max_length=100)
    department = models.ForeignKey(
        Department,
        verbose_name="责任部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_items",
    )
    working_days = models.PositiveSmallIntegerField("办理时限（工作日）")
    order = models.PositiveSmallIntegerField("顺序", default=100)
    depends_on = models.ManyToManyField(
        "self", verbose_name="前置事项", symmetrical=False, blank=True, related_name="+"
    )
    planned_start_on = models.DateField("计划开始", null=True, blank=True)
    planned_end_on = models.DateField("计划完成", null=True, blank=True, db_index=True)
    # Set when the steward replanned this item by hand: its dates are a decision, not a count of
    # working days, so a change of the holidays leaves them alone (qifu/projects/deadlines.py).
    planned_by_hand = models.BooleanField("手工调整计划", default=False, editable=False)
    actual_start_on = models.DateField("实际开始", null=True, blank=True)
    actual_end_on = models.DateField("实际完成", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    waive_reason = models.CharField("免于办理理由", max_length=200, blank=True)
    document_requested = models.CharField(
        "需企业提供的材料", max_length=200, blank=True, help_text="管家请企业上传的材料说明"
    )

    class Meta:
        verbose_name = "项目事项"
        verbose_name_plural = "项目事项"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="projectitem_code_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_ITEM_STATUSES


class EventAction(models.TextChoices):
    CREATE = "create", "登记项目"
    START = "start", "开始办理"
    COMPLETE = "complete", "办理完成"
    WAIVE = "waive", "免于办理"
    REPLAN = "replan", "调整计划"
    NOTE = "note", "记录"
    UPLOAD = "upload", "上传材料"
    REQUEST_DOCUMENT = "request_document", "请企业提供材料"
    STEWARD = "steward", "更换管家"
    FINISH = "finish", "项目竣工"
    DEADLINE = "deadline", "期限调整"


class ProjectEvent(models.Model):
    """One step of a project's history; internal notes are hidden from the enterprise."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(
        ProjectItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    action = models.CharField("动作", max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)
    is_internal = models.BooleanField("仅内部可见", default=False)

    class Meta:
        verbose_name = "项目进展记录"
        verbose_name_plural = "项目进展记录"
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["project", "-at"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.action}"


def project_document_path(instance: ProjectDocument, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"projects/{instance.project_id}/{uuid.uuid4().hex}.{extension}"


class ProjectDocument(UploadedFile):
    """A file of a project (a licence, an approval, materials the steward asked for)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        ProjectItem,
        verbose_name="相关事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    file = models.FileField("文件", upload_to=project_document_path, max_length=300)

    class Meta:
        verbose_name = "项目材料"
        verbose_name_plural = "项目材料"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


class ReminderKind(models.TextChoices):
    ITEM_DUE = "item_due", "事项即将到期"
    STAGE_LATE = "stage_late", "阶段滞后"


class ProjectReminder(models.Model):
    """A reminder sent: the unique row is claimed before sending, so it goes out once.

    `due_on` is the planned date it is about; a replan gives a new date and a new reminder.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    subject = models.CharField(max_length=60)  # "item:<id>" or "stage:<stage>"
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "项目提醒记录"
        verbose_name_plural = "项目提醒记录"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "subject", "due_on"], name="projectreminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.subject}"
