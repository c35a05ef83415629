"""The enterprise's exclusive space (专属空间, measures article 8).

Who serves an enterprise (its service commissioner 服务专员 and project steward 项目管家, with the
history of every hand-over), the service requests it makes of its commissioner, the contacts and
visits the commissioner logs, the annual-report status, member invitations, and the claim rows
that make expiry and annual-report reminders go out once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role
from qifu.core.models import TimeStampedModel, UploadedFile, WorkflowEvent


class AssignmentRole(models.TextChoices):
    COMMISSIONER = "commissioner", "服务专员"
    STEWARD = "steward", "项目管家"


# The account role a person must hold to be assigned in each capacity.
ASSIGNMENT_ACCOUNT_ROLE = {
    AssignmentRole.COMMISSIONER: Role.COMMISSIONER,
    AssignmentRole.STEWARD: Role.STEWARD,
}


class AssignmentMethod(models.TextChoices):
    TOWN = "town", "按镇街自动分配"
    INDUSTRY = "industry", "按行业自动分配"
    MANUAL = "manual", "手工指定"
    HANDOVER = "handover", "工作交接"


class AssignmentRule(TimeStampedModel):
    """Automatic assignment: enterprises of a town and/or an industry go to one person.

    A rule with both a town and an industry prefix is more specific than one with either; among
    equals the lower `priority` wins. Industry prefixes follow GB/T 4754 (C136 matches C1361).
    """

    role = models.CharField("担任", max_length=20, choices=AssignmentRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.CASCADE,
        related_name="assignment_rules",
    )
    region = models.ForeignKey(
        Department,
        verbose_name="镇街",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "town"},
    )
    industry_prefix = models.CharField(
        "行业代码前缀", max_length=5, blank=True, help_text="例如 C136 或 C"
    )
    priority = models.PositiveSmallIntegerField("优先级", default=100, help_text="数字小者优先")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "分配规则"
        verbose_name_plural = "分配规则"
        ordering = ["role", "priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False) | ~Q(industry_prefix=""),
                name="assignmentrule_has_town_or_industry",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.user}"


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self) -> AssignmentQuerySet:
        return self.filter(ended_at__isnull=True)


class Assignment(TimeStampedModel):
    """One person serving one enterprise in one capacity for a period; never deleted.

    A hand-over ends the row (`ended_at`) and opens a new one, so the history of who served the
    enterprise, and everything they did, stays attached to the right person.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField("担任", max_length=20, choices=AssignmentRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人员",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    method = models.CharField("方式", max_length=20, choices=AssignmentMethod.choices)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指定人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "专员/管家分配"
        verbose_name_plural = "专员/管家分配"
        ordering = ["-started_at", "-id"]
        constraints = [
            # Measures article 8: each enterprise has one commissioner and one steward at a time.
            models.UniqueConstraint(
                fields=["enterprise", "role"],
                condition=Q(ended_at__isnull=True),
                name="assignment_one_current_per_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "role", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_role_display()} {self.user}"


class RequestKind(models.TextChoices):
    """What an enterprise asks its commissioner for (measures article 8)."""

    LICENCE_RENEWAL = "licence_renewal", "证照换发"
    ANNUAL_REPORT = "annual_report", "年报帮办"
    ARCHIVE_QUERY = "archive_query", "档案查询"
    CHANGE = "change", "变更登记"
    DEREGISTRATION = "deregistration", "注销登记"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    ACCEPTED = "accepted", "办理中"
    WAITING = "waiting", "待企业补充"
    COMPLETED = "completed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_REQUEST_STATUSES = frozenset(
    {RequestStatus.SUBMITTED, RequestStatus.ACCEPTED, RequestStatus.WAITING}
)


class ServiceRequestQuerySet(models.QuerySet["ServiceRequest"]):
    def open(self) -> ServiceRequestQuerySet:
        return self.filter(status__in=OPEN_REQUEST_STATUSES)


class ServiceRequest(TimeStampedModel):
    """A service request to the enterprise's commissioner, handled within working-day deadlines."""

    number = models.CharField("编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="service_requests"
    )
    kind = models.CharField("类型", max_length=20, choices=RequestKind.choices)
    title = models.CharField("标题", max_length=100)
    description = models.TextField("需求说明", max_length=2000)
    licence = models.ForeignKey(
        "matters.ELicence",
        verbose_name="相关证照",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_requests",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请人",
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    commissioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="服务专员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_service_requests",
    )
    status = models.CharField(
        "状态",
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.SUBMITTED,
        db_index=True,
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    accept_due_at = models.DateTimeField("受理时限", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    due_at = models.DateTimeField("办结时限", null=True, blank=True, db_index=True)
    # What the deadlines were computed from (settings may change later): accept_due_at is
    # accept_working_days after submitted_at; due_at is due_working_days after due_from (the
    # acceptance, or the enterprise's supply of what was asked, with the days then left).
    accept_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    due_from = models.DateTimeField(null=True, blank=True, editable=False)
    due_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    result = models.TextField("办理结果", blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True)
    # Markers of the shared deadline sweep (qifu/notifications/deadlines.py).
    reminded_for = models.DateTimeField(null=True, blank=True)
    overdue_marked_for = models.DateTimeField(null=True, blank=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "专员服务申请"
        verbose_name_plural = "专员服务申请"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="servicerequest_idempotency_per_applicant",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-submitted_at"]),
            models.Index(fields=["commissioner", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def current_due_at(self) -> object:
        if self.status == RequestStatus.SUBMITTED:
            return self.accept_due_at
        if self.status == RequestStatus.ACCEPTED:
            return self.due_at
        return None

    @property
    def is_overdue(self) -> bool:
        due = self.current_due_at
        return bool(due is not None and due < timezone.now())  # type: ignore[operator]


class RequestAction(models.TextChoices):
    SUBMIT = "submit", "提交申请"
    ACCEPT = "accept", "受理"
    ASK_INFO = "ask_info", "请企业补充"
    SUPPLY_INFO = "supply_info", "企业补充"
    COMPLETE = "complete", "办结"
    WITHDRAW = "withdraw", "撤回"
    REASSIGN = "reassign", "转交专员"
    NOTE = "note", "记录"
    DEADLINE_CHANGED = "deadline_changed", "期限调整"


class ServiceRequestEvent(WorkflowEvent):
    """One step of a service request: the timeline the enterprise sees and the audit of it."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=RequestAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "专员服务记录"
        verbose_name_plural = "专员服务记录"

    def __str__(self) -> str:
        return f"{self.request_id} {self.action}"


def request_attachment_path(instance: ServiceRequestAttachment, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"workspace/requests/{instance.request_id}/{uuid.uuid4().hex}.{extension}"


class ServiceRequestAttachment(UploadedFile):
    """A file attached by the enterprise (materials) or by the commissioner (the result)."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        ServiceRequestEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField("文件", upload_to=request_attachment_path, max_length=300)

    class Meta:
        verbose_name = "专员服务附件"
        verbose_name_plural = "专员服务附件"

    def __str__(self) -> str:
        return self.original_name


class ContactKind(models.TextChoices):
    PHONE = "phone", "电话联系"
    VISIT = "visit", "上门走访"
    ONLINE = "online", "线上沟通"
    MEETING = "meeting", "座谈会商"


class ContactLog(TimeStampedModel):
    """A contact or visit by a commissioner or steward, kept with the enterprise for good."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="contact_logs"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="记录人",
        on_delete=models.PROTECT,
        related_name="contact_logs",
    )
    kind = models.CharField("方式", max_length=20, choices=ContactKind.choices)
    occurred_at = models.DateTimeField("时间")
    summary = models.TextField("情况记录", max_length=2000)
    service_request = models.ForeignKey(
        ServiceRequest,
        verbose_name="相关服务申请",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_logs",
    )

    class Meta:
        verbose_name = "走访联系记录"
        verbose_name_plural = "走访联系记录"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"


class AnnualReport(TimeStampedModel):
    """Whether an enterprise has filed its annual report (企业年报) for a year.

    The report for year Y is due between 1 January and 30 June of Y+1 (企业信息公示暂行条例);
    no row means not reported yet.
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    reported_on = models.DateField("报送日期")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="标记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "企业年报"
        verbose_name_plural = "企业年报"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="annualreport_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年度"


class ReminderKind(models.TextChoices):
    LICENCE_EXPIRY = "licence_expiry", "证照到期"
    ANNUAL_REPORT = "annual_report", "年报"


class ReminderClaim(models.Model):
    """One reminder sent: a unique row claimed before sending, so it is never sent twice.

    `subject` names what it is about (`licence:<id>` or `annual:<enterprise id>:<year>`) and
    `step` which of the configured reminders (e.g. `30` days before expiry, or a date).
    """

    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    subject = models.CharField(max_length=60)
    step = models.CharField(max_length=20)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="reminder_claims"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = "提醒记录"
        constraints = [
            models.UniqueConstraint(fields=["kind", "subject", "step"], name="reminderclaim_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} {self.step}"


class MemberInvitation(TimeStampedModel):
    """An invitation, sent by SMS, for a person to join an enterprise's account."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="invitations"
    )
    phone = models.CharField("手机号", max_length=11)
    real_name = models.CharField("姓名", max_length=50)
    role = models.CharField(
        "角色",
        max_length=30,
        choices=[(Role.ENTERPRISE_ADMIN, "企业管理员"), (Role.ENTERPRISE_MEMBER, "企业用户")],
        default=Role.ENTERPRISE_MEMBER,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="邀请人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("有效期至")
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "成员邀请"
        verbose_name_plural = "成员邀请"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "phone"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.real_name}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
