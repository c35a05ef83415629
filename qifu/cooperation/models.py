"""校企共建 (measures, article 9: 高校资源和企业需求): universities' and institutes' resources,
enterprises' technical needs, and the co-operations the platform records between them.

Resources and needs are published content (reviewed first, `qifu.publishing`): a resource is
written by a provider's member (a university or institute), a need by an enterprise's user. A
co-operation is a process (`qifu.cooperation.workflow`) from the proposal of a pair through
negotiation and agreement to its outcome; its history rows are the source of the statistics.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from qifu.accounts.models import Enterprise, Section
from qifu.core.models import TimeStampedModel, WorkflowEvent
from qifu.core.text import no_control_characters
from qifu.publishing.models import Publishable, PublishableQuerySet

TEXT = [no_control_characters]


class Industry(models.TextChoices):
    """Rongcheng's "5+2" industrial chains (2024 政府工作报告), the matching's first criterion."""

    EQUIPMENT = "equipment", "高端装备与智能制造"
    MARINE_FOOD = "marine_food", "海洋生物食品及医药"
    ENERGY = "energy", "核电装备与新能源"
    MATERIALS = "materials", "高新材料"
    ELECTRONICS = "electronics", "电子信息"
    TOURISM = "tourism", "文旅康养"
    LOGISTICS = "logistics", "现代物流"
    OTHER = "other", "其他"


class ResourceKind(models.TextChoices):
    LAB = "lab", "实验室与仪器设备"
    EXPERT = "expert", "专家人才"
    RESULT = "result", "可转化科技成果"


class Resource(Publishable):
    """A university's or institute's resource open to enterprises."""

    PROVIDER_AUTHORED: ClassVar[bool] = True
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "title",
        "industry",
        "description",
        "keywords",
        "terms",
        "contact_name",
        "contact_phone",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name="高校院所",
        on_delete=models.CASCADE,
        related_name="cooperation_resources",
    )
    kind = models.CharField("资源类型", max_length=10, choices=ResourceKind.choices)
    title = models.CharField("名称", max_length=100, validators=TEXT)
    industry = models.CharField("所属产业链", max_length=16, choices=Industry.choices)
    description = models.TextField(
        "内容介绍", max_length=3000, validators=[*TEXT, MaxLengthValidator(3000)]
    )
    keywords = models.CharField(
        "关键词", max_length=100, blank=True, validators=TEXT, help_text="用顿号或空格分隔"
    )
    terms = models.CharField(
        "合作方式",
        max_length=200,
        blank=True,
        validators=TEXT,
        help_text="例如：技术转让、许可使用、合作开发、仪器共享（按机时收费）",
    )
    contact_name = models.CharField("联系人", max_length=50, validators=TEXT)
    contact_phone = models.CharField("联系电话", max_length=20, validators=TEXT)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]

    class Meta(Publishable.Meta):
        verbose_name = "高校资源"
        verbose_name_plural = "高校资源"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="coop_res_status_pub_idx"),
            models.Index(fields=["section", "status"], name="coop_res_section_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def match_text(self) -> str:
        return f"{self.title}\n{self.keywords}\n{self.description}"

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("cooperation:resource_edit", args=[self.pk])

    def public_url(self) -> str:
        from django.urls import reverse

        return reverse("cooperation:resource", args=[self.pk])


class TechNeed(Publishable):
    """An enterprise's technical need (技术需求), public once reviewed."""

    ENTERPRISE_AUTHORED: ClassVar[bool] = True
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "industry",
        "description",
        "keywords",
        "budget",
        "contact_name",
        "contact_phone",
    )

    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.POLICY
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="发布企业", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("需求名称", max_length=100, validators=TEXT)
    industry = models.CharField("所属产业链", max_length=16, choices=Industry.choices)
    description = models.TextField(
        "需求描述", max_length=3000, validators=[*TEXT, MaxLengthValidator(3000)]
    )
    keywords = models.CharField(
        "关键词", max_length=100, blank=True, validators=TEXT, help_text="用顿号或空格分隔"
    )
    budget = models.DecimalField(
        "预算（万元）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99999999"))],
    )
    contact_name = models.CharField("联系人", max_length=50, validators=TEXT)
    contact_phone = models.CharField("联系电话", max_length=20, validators=TEXT)

    objects = PublishableQuerySet.as_manager()  # type: ignore[misc]

    class Meta(Publishable.Meta):
        verbose_name = "企业技术需求"
        verbose_name_plural = "企业技术需求"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="coop_need_status_pub_idx"),
            models.Index(fields=["section", "status"], name="coop_need_section_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def match_text(self) -> str:
        return f"{self.title}\n{self.keywords}\n{self.description}"

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("cooperation:need_edit", args=[self.pk])

    def public_url(self) -> str:
        from django.urls import reverse

        return reverse("cooperation:need", args=[self.pk])


# --- Co-operations --------------------------------------------------------------------------


class CooperationStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认对接"
    NEGOTIATING = "negotiating", "洽谈中"
    AGREED = "agreed", "已签约"
    COMPLETED = "completed", "已见成效"
    DECLINED = "declined", "已婉拒"
    TERMINATED = "terminated", "已终止"


OPEN_COOPERATION = frozenset(
    {CooperationStatus.PROPOSED, CooperationStatus.NEGOTIATING, CooperationStatus.AGREED}
)


class Side(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    PROVIDER = "provider", "高校院所"
    PLATFORM = "platform", "平台"


class AgreementForm(models.TextChoices):
    TRANSFER = "transfer", "技术转让"
    LICENCE = "licence", "技术许可"
    JOINT = "joint", "合作开发"
    COMMISSIONED = "commissioned", "委托开发"
    PLATFORM = "platform", "共建研发平台"
    CONSULTING = "consulting", "技术咨询与服务"


class CooperationQuerySet(models.QuerySet["Cooperation"]):
    def for_user(self, user: Any) -> CooperationQuerySet:
        """The two parties and the platform's staff; nobody else."""
        from qifu.cooperation.access import is_cooperation_staff
        from qifu.providers.access import provider_id_for

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        if is_cooperation_staff(user):
            return self
        provider_id = provider_id_for(user)
        if provider_id is None:
            return self.none()
        return self.filter(provider_id=provider_id)


class Cooperation(TimeStampedModel):
    """A university–enterprise co-operation, from its proposal to its outcome."""

    number = models.CharField("编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="cooperations"
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name="高校院所",
        on_delete=models.PROTECT,
        related_name="cooperations",
    )
    need = models.ForeignKey(
        TechNeed,
        verbose_name="企业需求",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperations",
    )
    resource = models.ForeignKey(
        Resource,
        verbose_name="高校资源",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperations",
    )
    title = models.CharField("合作事项", max_length=200)
    proposed_by = models.CharField("发起方", max_length=12, choices=Side.choices)
    # Why the pair was suggested (the matching's reasons), kept as they were shown.
    reasons = models.JSONField("匹配理由", default=list, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=CooperationStatus.choices, db_index=True
    )
    proposed_at = models.DateTimeField("发起时间", null=True, blank=True)
    respond_due_at = models.DateTimeField("答复时限", null=True, blank=True)
    respond_working_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    agreement_form = models.CharField(
        "合作形式", max_length=14, choices=AgreementForm.choices, blank=True
    )
    agreement_amount = models.DecimalField(
        "合同金额（万元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    agreed_on = models.DateField("签约日期", null=True, blank=True)
    agreement_summary = models.TextField("协议要点", blank=True)
    outcome = models.TextField("合作成效", blank=True)
    completed_on = models.DateField("见效日期", null=True, blank=True)
    # Markers of the shared deadline sweep (qifu/notifications/deadlines.py).
    reminded_for = models.DateTimeField(null=True, blank=True)
    overdue_marked_for = models.DateTimeField(null=True, blank=True)

    objects = CooperationQuerySet.as_manager()

    class Meta:
        verbose_name = "校企合作"
        verbose_name_plural = "校企合作"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "resource"],
                condition=Q(need__isnull=False, resource__isnull=False)
                & Q(status__in=["proposed", "negotiating", "agreed"]),
                name="cooperation_one_open_per_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "-created_at"], name="coop_enterprise_idx"),
            models.Index(fields=["provider", "status"], name="coop_provider_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def status_tone(self) -> str:
        return {
            CooperationStatus.PROPOSED: "blue",
            CooperationStatus.NEGOTIATING: "orange",
            CooperationStatus.AGREED: "green",
            CooperationStatus.COMPLETED: "green",
            CooperationStatus.DECLINED: "secondary",
            CooperationStatus.TERMINATED: "red",
        }.get(self.status, "secondary")  # type: ignore[call-overload]


class CooperationAction(models.TextChoices):
    PROPOSE = "propose", "发起对接"
    ACCEPT = "accept", "同意对接"
    DECLINE = "decline", "婉拒对接"
    PROGRESS = "progress", "记录进展"
    AGREE = "agree", "签订合作协议"
    OUTCOME = "outcome", "记录合作成效"
    TERMINATE = "terminate", "终止合作"
    OVERDUE = "overdue", "超期"
    DEADLINE_CHANGED = "deadline_changed", "期限调整"


class CooperationEvent(WorkflowEvent):
    """One step of a co-operation: its timeline and the source of the statistics."""

    cooperation = models.ForeignKey(Cooperation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=CooperationAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "校企合作记录"
        verbose_name_plural = "校企合作记录"
        indexes = [models.Index(fields=["action", "at"], name="coop_event_action_at_idx")]

    def __str__(self) -> str:
        return f"{self.cooperation_id} {self.action}"
