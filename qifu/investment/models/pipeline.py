"""招商项目管理 (measures article 10): leads and projects through the pipeline's nodes, visits,
follow-up tasks, the outside key enterprises and the teams that serve investors.

A lead and the project it becomes are one row (`Lead`), moving through
线索 → 接洽 → 考察 → 洽谈 → 签约 → 注册 → 开工 → 投产, or to 终止 with a reason. The allowed moves
are the table in `qifu/investment/pipeline.py`; each node of a lead has a plan row (`LeadNode`:
responsible person, planned date, when it was reached), and every change is a `LeadEvent`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise
from qifu.core.masking import mask_phone
from qifu.core.models import TimeStampedModel, UploadedFile, WorkflowEvent
from qifu.investment.models.catalogue import POSITIVE, TOWN_CHOICES, Chain, ChainLink
from qifu.investment.models.places import Park


class Stage(models.TextChoices):
    LEAD = "lead", "线索"
    CONTACT = "contact", "接洽"
    INSPECTION = "inspection", "考察"
    NEGOTIATION = "negotiation", "洽谈"
    SIGNED = "signed", "签约"
    REGISTERED = "registered", "注册"
    STARTED = "started", "开工"
    PRODUCING = "producing", "投产"
    TERMINATED = "terminated", "终止"


# The nodes in order; 终止 is outside the line, reachable from any open node.
NODE_ORDER: list[str] = [s.value for s in Stage if s != Stage.TERMINATED]
CLOSED_STAGES = frozenset({Stage.PRODUCING, Stage.TERMINATED})
STAGE_EN = {
    "lead": "Lead",
    "contact": "Contact",
    "inspection": "Site visit",
    "negotiation": "Negotiation",
    "signed": "Signed",
    "registered": "Registered",
    "started": "Construction started",
    "producing": "In production",
    "terminated": "Terminated",
}


def next_stage(stage: str) -> str | None:
    """The node after `stage` on the line, or None at the end (or off it)."""
    if stage not in NODE_ORDER:
        return None
    index = NODE_ORDER.index(stage)
    return NODE_ORDER[index + 1] if index + 1 < len(NODE_ORDER) else None


class Likelihood(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class Origin(models.TextChoices):
    INTENT = "intent", "在线登记"
    STAFF = "staff", "工作人员录入"
    VISIT = "visit", "来访洽谈"
    KEY_ENTERPRISE = "key_enterprise", "重点企业对接"
    REFERRAL = "referral", "以商招商"


class InvestmentTeam(TimeStampedModel):
    """A team of promotion officers (招商小分队), the unit the service indicators add up to."""

    name = models.CharField("名称", max_length=60, unique=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="组长",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="成员", related_name="investment_teams", blank=True
    )

    class Meta:
        verbose_name = "招商小组"
        verbose_name_plural = "招商小组"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LeadQuerySet(models.QuerySet["Lead"]):
    def for_user(self, user: Any) -> LeadQuerySet:
        """Investment staff and leaders only; an officer sees the whole pipeline or, when the
        deployment says so (INVESTMENT_PIPELINE_SCOPE=own), the leads they take part in."""
        from qifu.investment import access

        if not access.can_read_pipeline(user):
            return self.none()
        if access.sees_whole_pipeline(user):
            return self
        member = LeadMember.objects.filter(lead=OuterRef("pk"), user=user)
        node = LeadNode.objects.filter(lead=OuterRef("pk"), owner=user)
        return self.filter(Q(owner=user) | Q(Exists(member)) | Q(Exists(node)))

    def open(self) -> LeadQuerySet:
        return self.exclude(stage__in=CLOSED_STAGES)


class Lead(TimeStampedModel):
    """An investment lead and the project it becomes (招商线索/招商项目)."""

    reference = models.CharField("编号", max_length=20, unique=True)
    company = models.CharField("企业名称", max_length=200, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    contact_name = models.CharField("联系人", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    country = models.CharField("国家/地区", max_length=60, default="中国")
    province = models.CharField("省份", max_length=30, blank=True)
    city = models.CharField("城市", max_length=60, blank=True)
    industry = models.CharField("行业", max_length=100)
    industry_code = models.CharField(
        "行业代码", max_length=5, blank=True, help_text="GB/T 4754-2017，注册落地时需要"
    )
    chain = models.ForeignKey(
        Chain, verbose_name="产业链", null=True, blank=True, on_delete=models.SET_NULL
    )
    chain_link = models.ForeignKey(
        ChainLink, verbose_name="产业链环节", null=True, blank=True, on_delete=models.SET_NULL
    )
    amount = models.DecimalField(
        "计划投资（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    foreign_amount = models.DecimalField(
        "外资金额（万美元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE,
    )
    jobs = models.PositiveIntegerField("预计就业（人）", null=True, blank=True)
    annual_output = models.DecimalField(
        "预计年产值（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    annual_tax = models.DecimalField(
        "预计年税收（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    interest = models.CharField("投资意向", max_length=200, blank=True)
    message = models.TextField("留言", max_length=2000, blank=True)
    language = models.CharField("登记语言", max_length=8, default="zh-hans")
    origin = models.CharField("来源", max_length=20, choices=Origin.choices)
    stage = models.CharField(
        "节点", max_length=12, choices=Stage.choices, default=Stage.LEAD, db_index=True
    )
    likelihood = models.CharField(
        "落地可能性", max_length=8, choices=Likelihood.choices, default=Likelihood.MEDIUM
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_leads",
    )
    team = models.ForeignKey(
        InvestmentTeam, verbose_name="招商小组", null=True, blank=True, on_delete=models.SET_NULL
    )
    park = models.ForeignKey(
        Park, verbose_name="拟落地园区", null=True, blank=True, on_delete=models.SET_NULL
    )
    town = models.ForeignKey(
        Department,
        verbose_name="拟落地镇街",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=TOWN_CHOICES,
    )
    # Service indicators (the UK Data Hub's SPI): received, first contact, responsible person.
    intent_at = models.DateTimeField("登记时间", default=timezone.now)
    first_contact_at = models.DateTimeField("首次联系时间", null=True, blank=True)
    owner_assigned_at = models.DateTimeField("确定负责人时间", null=True, blank=True)
    stage_changed_at = models.DateTimeField("进入当前节点时间", default=timezone.now)
    # The deadline of the current node: the next node's planned date (at the cut-off time), or
    # the first-contact limit of a new lead. The shared sweep reminds and reports slips.
    next_due_at = models.DateTimeField("下一节点计划时间", null=True, blank=True, db_index=True)
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_marked_for = models.DateTimeField(null=True, blank=True, editable=False)
    terminated_reason = models.CharField("终止原因", max_length=500, blank=True)
    terminated_from = models.CharField(
        "终止前节点", max_length=12, choices=Stage.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name="疑似重复",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="落地企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_leads",
    )
    construction_project = models.ForeignKey(
        "projects.Project",
        verbose_name="建设项目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    key_enterprise = models.ForeignKey(
        "KeyEnterprise",
        verbose_name="外地重点企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = "招商项目"
        verbose_name_plural = "招商项目"
        ordering = ["-intent_at", "-id"]
        indexes = [
            models.Index(fields=["stage", "next_due_at"], name="inv_lead_stage_due_idx"),
            models.Index(fields=["owner", "stage"], name="inv_lead_owner_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.company}"

    @property
    def is_open(self) -> bool:
        return self.stage not in CLOSED_STAGES

    @property
    def next_stage(self) -> str | None:
        return next_stage(self.stage) if self.is_open else None

    @property
    def is_slipping(self) -> bool:
        return bool(self.is_open and self.next_due_at and self.next_due_at < timezone.now())

    @property
    def is_foreign(self) -> bool:
        return self.country not in ("", "中国")

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def origin_label(self) -> str:
        place = self.province or self.city
        return self.country if self.is_foreign else (place or "—")

    @property
    def stage_en(self) -> str:
        return STAGE_EN.get(self.stage, self.stage)


class LeadNode(TimeStampedModel):
    """The plan of one node of a lead: who answers for it, when it should be reached, when it
    was."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="nodes")
    stage = models.CharField("节点", max_length=12, choices=Stage.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_on = models.DateField("计划日期", null=True, blank=True)
    reached_at = models.DateTimeField("到达时间", null=True, blank=True)

    class Meta:
        verbose_name = "节点计划"
        verbose_name_plural = "节点计划"
        ordering = ["lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "stage"], name="inv_leadnode_unique_stage")
        ]

    def __str__(self) -> str:
        return f"{self.lead.reference} {self.get_stage_display()}"  # type: ignore[attr-defined]

    @property
    def is_late(self) -> bool:
        """Reached after its planned date, or not reached and the date has passed."""
        if self.planned_on is None:
            return False
        if self.reached_at is not None:
            return timezone.localdate(self.reached_at) > self.planned_on
        return self.planned_on < timezone.localdate()


class EventAction(models.TextChoices):
    INTENT = "intent", "在线登记意向"
    CREATE = "create", "录入线索"
    ADVANCE = "advance", "推进到下一节点"
    TERMINATE = "terminate", "终止"
    REOPEN = "reopen", "恢复跟进"
    CONTACT = "contact", "联系投资方"
    ASSIGN = "assign", "确定负责人"
    PLAN = "plan", "调整节点计划"
    MEMBER = "member", "调整团队成员"
    DOCUMENT = "document", "上传佐证材料"
    UPDATE = "update", "修改项目信息"
    DUPLICATE = "duplicate", "标记疑似重复"
    REGISTER = "register", "注册落地，企业入驻平台"
    VISIT = "visit", "关联来访"
    TASK = "task", "布置跟进任务"


class LeadEvent(WorkflowEvent):
    """One entry of a lead's history (the platform's one history vocabulary): who did what,
    when, from which node to which."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=EventAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "项目记录"
        verbose_name_plural = "项目记录"
        indexes = [models.Index(fields=["lead", "at"], name="inv_leadevent_lead_at_idx")]

    def __str__(self) -> str:
        return f"{self.lead_id} {self.action}"


class LeadMember(TimeStampedModel):
    """A team member on a lead besides its responsible person (协办人员)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField("分工", max_length=60, blank=True)

    class Meta:
        verbose_name = "项目成员"
        verbose_name_plural = "项目成员"
        constraints = [
            models.UniqueConstraint(fields=["lead", "user"], name="inv_leadmember_unique")
        ]


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", "合作协议/投资合同"
    MINUTES = "minutes", "洽谈纪要"
    LICENCE = "licence", "营业执照"
    OTHER = "other", "其他佐证材料"


def lead_document_path(instance: LeadDocument, filename: str) -> str:
    import uuid

    return f"investment/leads/{instance.lead_id}/{uuid.uuid4().hex}"


class LeadDocument(UploadedFile):
    """Evidence for a lead's progress (a signed agreement, minutes, the licence)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("类型", max_length=12, choices=DocumentKind.choices)
    file = models.FileField("文件", upload_to=lead_document_path)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["created_at", "id"]


class VisitDirection(models.TextChoices):
    INCOMING = "incoming", "来访"
    OUTGOING = "outgoing", "出访"


class Visit(TimeStampedModel):
    """A visit (来访 by investors, 出访 by the city's delegation), linked to the leads it served."""

    direction = models.CharField("类型", max_length=10, choices=VisitDirection.choices)
    visited_on = models.DateField("日期", db_index=True)
    delegation = models.CharField("团组/单位", max_length=200)
    country = models.CharField("国家/地区", max_length=60, default="中国")
    province = models.CharField("省份", max_length=30, blank=True)
    city = models.CharField("城市", max_length=60, blank=True)
    people = models.PositiveIntegerField("人数", default=1)
    leader = models.CharField("带队人", max_length=100, blank=True)
    purpose = models.CharField("目的", max_length=300)
    outcome = models.TextField("成果", max_length=2000, blank=True)
    leads = models.ManyToManyField(Lead, verbose_name="关联项目", related_name="visits", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "来访出访"
        verbose_name_plural = "来访出访"
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.delegation}"

    @property
    def is_foreign(self) -> bool:
        return self.country not in ("", "中国")

    @property
    def origin_label(self) -> str:
        return self.country if self.is_foreign else (self.province or "—")


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class FollowUpTask(TimeStampedModel):
    """A follow-up task after a contact or a visit, with a deadline the sweep reminds of."""

    lead = models.ForeignKey(
        Lead, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField("任务", max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        on_delete=models.PROTECT,
        related_name="investment_tasks",
    )
    due_at = models.DateTimeField("完成期限")
    status = models.CharField(
        "状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    result = models.CharField("办理结果", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_marked_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "跟进任务"
        verbose_name_plural = "跟进任务"
        ordering = ["status", "due_at", "id"]
        indexes = [models.Index(fields=["assignee", "status", "due_at"], name="inv_task_due_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == TaskStatus.OPEN and self.due_at < timezone.now()


class FollowUpTaskEvent(WorkflowEvent):
    """The history of a follow-up task (set, done, cancelled), in the one vocabulary."""

    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(
        "动作",
        max_length=30,
        choices=[("create", "布置任务"), ("complete", "办结"), ("cancel", "取消")],
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = "跟进任务记录"
        verbose_name_plural = "跟进任务记录"


class ContactStatus(models.TextChoices):
    NONE = "none", "未联系"
    CONTACTED = "contacted", "已联系"
    VISITED = "visited", "已拜访/来访"
    NEGOTIATING = "negotiating", "洽谈中"
    CONVERTED = "converted", "已形成项目"


class KeyEnterprise(TimeStampedModel):
    """外地重点企业库: a key enterprise elsewhere, placed on a chain link, with contact status."""

    name = models.CharField("企业名称", max_length=200, unique=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    country = models.CharField("国家/地区", max_length=60, default="中国")
    province = models.CharField("省份", max_length=30, blank=True)
    city = models.CharField("城市", max_length=60, blank=True)
    chain = models.ForeignKey(
        Chain, verbose_name="产业链", null=True, blank=True, on_delete=models.SET_NULL
    )
    chain_link = models.ForeignKey(
        ChainLink,
        verbose_name="产业链环节",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_enterprises",
    )
    industry = models.CharField("主营业务", max_length=200, blank=True)
    revenue = models.DecimalField(
        "营业收入（万元）", max_digits=16, decimal_places=2, null=True, blank=True
    )
    ranking = models.CharField("榜单/地位", max_length=100, blank=True)
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_status = models.CharField(
        "联系状态", max_length=12, choices=ContactStatus.choices, default=ContactStatus.NONE
    )
    last_contact_on = models.DateField("最近联系", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta:
        verbose_name = "外地重点企业"
        verbose_name_plural = "外地重点企业"
        ordering = ["chain", "chain_link", "-revenue", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="inv_keyent_credit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name
