"""企业诉求: appeals through six stages with working-day deadlines (measures, arts. 15–17)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role, Section
from qifu.core.masking import mask_phone
from qifu.core.models import TimeStampedModel, UploadedFile, WorkflowEvent


class Stage(models.TextChoices):
    RECEIVED = "received", "录入"
    TRIAGED = "triaged", "研判"
    DISPATCHED = "dispatched", "派发"
    RESPONDED = "responded", "诉求应答"
    FOLLOWED_UP = "followed_up", "电话回访"
    CLOSED = "closed", "办结"


# Stages waiting for the platform to dispatch; the dispatch deadline applies to them.
AWAITING_DISPATCH = (Stage.RECEIVED, Stage.TRIAGED)
OPEN_STAGES = tuple(s for s in Stage if s != Stage.CLOSED)


class Channel(models.TextChoices):
    WEB = "web", "网上提交"
    API = "api", "接口"
    PHONE = "phone", "电话"
    VISIT = "visit", "来访"
    MESSAGE = "message", "我要留言"
    OPEN311 = "open311", "Open311"
    HOTLINE = "hotline", "12345热线转办"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class AppealCategory(TimeStampedModel):
    """A category of appeals with the department that usually handles it."""

    code = models.CharField("编码", max_length=10, unique=True)
    name = models.CharField("名称", max_length=50)
    description = models.CharField("常见内容", max_length=200, blank=True)
    default_department = models.ForeignKey(
        Department,
        verbose_name="默认承办部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "诉求类别"
        verbose_name_plural = "诉求类别"
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class AppealQuerySet(models.QuerySet["Appeal"]):
    def for_user(self, user: Any) -> AppealQuerySet:
        """What a user may see: platform staff all; a department what was dispatched to it;
        an enterprise its own."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.has_role(Role.PLATFORM_STAFF, Role.SUPERVISOR):
            return self
        # The liaison of the agency running 政策诉求 (article 5: 工信局) coordinates all appeals.
        if user.has_role(Role.LIAISON) and user.administers_section(Section.POLICY):
            return self
        if user.department_id and user.is_government:
            return self.filter(
                pk__in=Assignment.objects.filter(department_id=user.department_id).values(
                    "appeal_id"
                )
            )
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.none()

    def overdue(self, now: Any = None) -> AppealQuerySet:
        """Open appeals past the statutory deadline of their current stage."""
        now = now or timezone.now()
        return self.filter(overdue_q(now))

    def ever_overdue(self, now: Any = None) -> AppealQuerySet:
        """Appeals that missed a statutory limit at any stage, extended or not (the API's
        `overdue`): lateness is never erased by an extension."""
        now = now or timezone.now()
        return self.filter(ever_overdue_q(now))

    def due_within(self, start: Any, end: Any) -> AppealQuerySet:
        return self.filter(
            Q(stage__in=AWAITING_DISPATCH, dispatch_due_at__gte=start, dispatch_due_at__lt=end)
            | Q(stage=Stage.DISPATCHED, respond_due_at__gte=start, respond_due_at__lt=end)
            | Q(stage=Stage.RESPONDED, followup_due_at__gte=start, followup_due_at__lt=end)
        )


def overdue_q(now: Any) -> Q:
    """Open and past the statutory deadline of the current stage (an extension does not help:
    `respond_due_at` always keeps the 3 working days of article 16)."""
    return (
        Q(stage__in=AWAITING_DISPATCH, dispatch_due_at__lt=now)
        | Q(stage=Stage.DISPATCHED, respond_due_at__lt=now)
        | Q(stage=Stage.RESPONDED, followup_due_at__lt=now)
    )


def ever_overdue_q(now: Any) -> Q:
    return Q(was_overdue=True) | overdue_q(now)


class Appeal(TimeStampedModel):
    """One enterprise appeal (诉求件), a work order through 录入 → … → 办结."""

    number = models.CharField("诉求编号", max_length=20, unique=True)
    # Empty while an appeal from an outside system (Open311) waits for its enterprise to be
    # identified during 研判; it cannot be dispatched before.
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    reported_enterprise = models.CharField("来件企业名称", max_length=200, blank=True)
    reported_credit_code = models.CharField("来件统一社会信用代码", max_length=30, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.WEB)
    category = models.ForeignKey(
        AppealCategory, verbose_name="类别", on_delete=models.PROTECT, related_name="appeals"
    )
    title = models.CharField("标题", max_length=100)
    content = models.TextField("诉求内容", max_length=5000)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    address = models.CharField("地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)

    stage = models.CharField(
        "环节", max_length=12, choices=Stage.choices, default=Stage.RECEIVED, db_index=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name="承办部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    received_at = models.DateTimeField("受理时间", db_index=True)
    dispatched_at = models.DateTimeField("派发时间", null=True, blank=True)
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    responded_at = models.DateTimeField("应答时间", null=True, blank=True)
    followed_up_at = models.DateTimeField("回访时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # Set when the retention period ended and the contact details were cleared (retention.py).
    anonymised_at = models.DateTimeField("去标识化时间", null=True, blank=True, editable=False)
    # Deadlines are computed once by the working-day calendar at each transition and stored.
    dispatch_due_at = models.DateTimeField("派发期限", null=True, blank=True, db_index=True)
    # When the dispatch clock started: the receipt, a return or an unsatisfied outcome (the
    # calendar may change; qifu/appeals/deadlines.py computes the deadline again from it).
    dispatch_due_from = models.DateTimeField(null=True, blank=True, editable=False)
    # The statutory limit of the current round (art. 16: 3 working days); an extension never
    # moves it, it sets `extended_due_at` beside it.
    respond_due_at = models.DateTimeField("应答期限", null=True, blank=True, db_index=True)
    extended_due_at = models.DateTimeField("延期后应答期限", null=True, blank=True)
    followup_due_at = models.DateTimeField("回访期限", null=True, blank=True, db_index=True)
    # The current stage's deadline, kept by save(): lists sort by it through an index.
    due_at = models.DateTimeField("当前期限", null=True, blank=True, editable=False)
    calendar_warning = models.CharField("日历提示", max_length=200, blank=True)

    response = models.TextField("答复意见", blank=True)
    dispatch_count = models.PositiveIntegerField("派发次数", default=0)
    is_supervised = models.BooleanField("督办件", default=False, db_index=True)
    supervised_at = models.DateTimeField("列入督办时间", null=True, blank=True)
    # The supervision ladder (qifu/supervision): the latest 催办 and 通报 listing.
    urged_at = models.DateTimeField("最近催办时间", null=True, blank=True)
    urge_count = models.PositiveSmallIntegerField("催办次数", default=0)
    escalated_at = models.DateTimeField("列入通报时间", null=True, blank=True)
    was_overdue = models.BooleanField("曾经超期", default=False)
    is_extended = models.BooleanField("曾延期", default=False)
    # The deadline for which the sweep last sent a reminder / marked overdue: each fires once.
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_marked_for = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="合并至",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_appeals",
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = "企业诉求"
        verbose_name_plural = "企业诉求"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="appeal_unique_idempotency_key_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["stage", "dispatch_due_at"]),
            models.Index(fields=["department", "stage", "respond_due_at"]),
            models.Index(fields=["enterprise", "-received_at"]),
            models.Index(fields=["due_at", "id"], name="appeal_due_idx"),
            # The lists sorted by deadline within a stage (the stage tabs of 诉求管理) and over
            # the open ones only (未办结, the workbench): no sort of the whole stage.
            models.Index(fields=["stage", "due_at", "id"], name="appeal_stage_due_idx"),
            models.Index(
                fields=["due_at", "id"],
                # Written as the open lists filter (not closed), so SQLite's planner matches it.
                condition=~Q(stage=Stage.CLOSED),
                name="appeal_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    DEADLINE_FIELDS = frozenset(
        {"stage", "dispatch_due_at", "respond_due_at", "extended_due_at", "followup_due_at"}
    )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.due_at = self.current_due_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.DEADLINE_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "due_at"}
        super().save(*args, **kwargs)

    @property
    def current_due_at(self) -> Any:
        """The deadline the current stage works to (an approved extension's, when there is one)."""
        if self.stage == Stage.DISPATCHED and self.extended_due_at:
            return self.extended_due_at
        return self.statutory_due_at

    @property
    def statutory_due_at(self) -> Any:
        """The statutory deadline of the current stage, whatever was extended."""
        if self.stage in AWAITING_DISPATCH:
            return self.dispatch_due_at
        if self.stage == Stage.DISPATCHED:
            return self.respond_due_at
        if self.stage == Stage.RESPONDED:
            return self.followup_due_at
        return None

    def is_late_now(self, now: Any = None) -> bool:
        """Open and past the statutory deadline of the current stage."""
        due = self.statutory_due_at
        return due is not None and (now or timezone.now()) > due

    def is_overdue(self, now: Any = None) -> bool:
        """A statutory limit was missed at some stage, or is being missed now (the API's
        `overdue`); an approved extension does not change it."""
        return self.was_overdue or self.is_late_now(now)

    @property
    def enterprise_name(self) -> str:
        if self.enterprise is not None:
            return str(self.enterprise.name)
        return self.reported_enterprise or "待确认企业"

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class AssignmentOutcome(models.TextChoices):
    PENDING = "pending", "办理中"
    RETURNED = "returned", "退回"
    SATISFIED = "satisfied", "满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Assignment(TimeStampedModel):
    """One dispatch of an appeal to a department (a round of handling)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, verbose_name="承办部门", on_delete=models.PROTECT, related_name="assignments"
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name="协办部门", blank=True, related_name="co_assignments"
    )
    round = models.PositiveIntegerField("派发轮次")
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dispatched_at = models.DateTimeField("派发时间")
    note = models.TextField("派发说明", blank=True)
    # Art. 16: the statutory limit (3 working days) stays the measure of the round; an approved
    # extension is recorded beside it, never in its place.
    respond_due_at = models.DateTimeField("应答期限")
    contact_due_at = models.DateTimeField("联系企业期限", null=True, blank=True)
    extended_due_at = models.DateTimeField("延期后应答期限", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延期工作日", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    responded_on_time = models.BooleanField("法定期限内应答", null=True, blank=True)
    met_extended_due = models.BooleanField("延期期限内应答", null=True, blank=True)
    contact_reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_contact_at = models.DateTimeField("首次联系时间", null=True, blank=True)
    responded_at = models.DateTimeField("应答时间", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    outcome = models.CharField(
        "结果",
        max_length=12,
        choices=AssignmentOutcome.choices,
        default=AssignmentOutcome.PENDING,
        db_index=True,
    )

    class Meta:
        verbose_name = "派发记录"
        verbose_name_plural = "派发记录"
        ordering = ["appeal", "round"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "round"], name="assignment_unique_round"),
        ]

    def __str__(self) -> str:
        return f"{self.appeal.number} 第{self.round}次派发 {self.department}"

    @property
    def is_extended(self) -> bool:
        return self.extended_due_at is not None

    @property
    def contacted_on_time(self) -> bool | None:
        if self.first_contact_at is None or self.contact_due_at is None:
            return None
        return self.first_contact_at <= self.contact_due_at

    @property
    def held_until(self) -> Any:
        """When the department let go of the order: its response or its return."""
        return self.responded_at or self.returned_at


class AppealAction(models.TextChoices):
    """Every kind of step in an appeal's history (the process table names them)."""

    FILE = "file", "提交诉求"
    RECORD = "record", "登记诉求"
    LINK = "link", "确认诉求企业"
    TRIAGE = "triage", "研判"
    DISPATCH = "dispatch", "派发"
    ACCEPT = "accept", "签收"
    CONTACT = "contact", "联系企业"
    RETURN = "return", "退回"
    EXTEND = "extend", "申请延期"
    EXTENSION_APPROVED = "extension_approved", "同意延期"
    EXTENSION_REFUSED = "extension_refused", "不同意延期"
    RESPOND = "respond", "诉求应答"
    FOLLOWUP = "followup", "电话回访"
    EVALUATE = "evaluate", "企业评价"
    SUPERVISE = "supervise", "列入督办"
    URGE = "urge", "催办"
    ESCALATE = "escalate", "列入通报"
    CLOSE = "close", "办结"
    MERGE = "merge", "合并重复诉求"
    MERGED = "merged", "并入其他诉求"
    NOTE = "note", "内部备注"
    OVERDUE = "overdue", "超期"
    DEADLINE_CHANGED = "deadline_changed", "期限调整"


class AppealEvent(WorkflowEvent):
    """流转记录: one row per step — the timeline, the audit trail, the statistics."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=AppealAction.choices, db_index=True)
    # The handling department the step concerns (the one dispatched to, responding, returning).
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class Evaluation(TimeStampedModel):
    """A satisfaction result: by phone follow-up (staff) or online by the enterprise."""

    class Source(models.TextChoices):
        FOLLOWUP = "followup", "电话回访"
        ENTERPRISE = "enterprise", "企业评价"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="evaluations")
    assignment = models.ForeignKey(
        Assignment, null=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices)
    score = models.PositiveSmallIntegerField("评分")
    comment = models.TextField("意见", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The 电话回访 itself (art. 16): how, whom and when the platform reached the enterprise.
    way = models.CharField("回访方式", max_length=10, blank=True)
    contact_person = models.CharField("受访人", max_length=50, blank=True)
    contacted_at = models.DateTimeField("回访时间", null=True, blank=True)
    confirms_online = models.BooleanField("确认企业在线评价", default=False)

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="evaluation_score_1_to_5"
            ),
        ]

    @property
    def satisfied(self) -> bool:
        return self.satisfaction != Satisfaction.UNSATISFIED


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "未同意"


class Extension(TimeStampedModel):
    """A department's request for more time, decided by platform staff (延期)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="extensions")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    working_days = models.PositiveSmallIntegerField("申请延长工作日")
    reason = models.TextField("理由")
    status = models.CharField(
        "状态", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    new_due_at = models.DateTimeField("新期限", null=True, blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_assignment",
            ),
        ]


def attachment_path(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"appeals/{now:%Y/%m}/{instance.appeal_id}/{filename}"


class Attachment(UploadedFile):
    """A file attached to an appeal, by the enterprise or in a department's response."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        AppealEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=300)
    is_public = models.BooleanField("企业可见", default=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.original_name
