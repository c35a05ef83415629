"""服务机构: banks, guarantee institutions, law and accounting firms, other service firms,
universities and research institutes (measures, article 9: 融资服务, 服务超市, 校企共建).

A provider is an organisation with its own accounts: it registers, platform staff approve it
(the process in `qifu.providers.workflow`), and its administrator adds members. A member holds
the `provider` role (accounts.Role.PROVIDER); `ProviderMember` says which organisation.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from qifu.accounts.validators import validate_credit_code
from qifu.core.models import TimeStampedModel, UploadedFile, WorkflowEvent


class ProviderKind(models.TextChoices):
    BANK = "bank", "银行"
    GUARANTEE = "guarantee", "融资担保机构"
    LAW_FIRM = "law_firm", "律师事务所"
    ACCOUNTING = "accounting", "会计师事务所"
    SERVICE = "service", "其他服务机构"
    UNIVERSITY = "university", "高等院校"
    INSTITUTE = "institute", "科研院所"


FINANCIAL_KINDS = frozenset({ProviderKind.BANK, ProviderKind.GUARANTEE})
ACADEMIC_KINDS = frozenset({ProviderKind.UNIVERSITY, ProviderKind.INSTITUTE})


class ProviderStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已入驻"
    REJECTED = "rejected", "未通过"
    SUSPENDED = "suspended", "已暂停"


class ProviderQuerySet(models.QuerySet["Provider"]):
    def approved(self) -> ProviderQuerySet:
        return self.filter(status=ProviderStatus.APPROVED)

    def for_user(self, user: Any) -> ProviderQuerySet:
        """Staff who review providers see all; a member sees its own; others the approved ones."""
        from qifu.providers.access import can_review_providers, provider_membership

        if getattr(user, "is_authenticated", False):
            if can_review_providers(user):
                return self
            membership = provider_membership(user)
            if membership is not None:
                return self.filter(Q(status=ProviderStatus.APPROVED) | Q(pk=membership.provider_id))
        return self.approved()


class Provider(TimeStampedModel):
    """A service organisation admitted to the platform."""

    name = models.CharField("机构名称", max_length=200, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    kind = models.CharField("机构类型", max_length=12, choices=ProviderKind.choices)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=ProviderStatus.choices,
        default=ProviderStatus.SUBMITTED,
        db_index=True,
    )
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("地址", max_length=200, blank=True)
    description = models.TextField("机构简介", blank=True)
    submitted_at = models.DateTimeField("申请时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField("审核意见", blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = "服务机构"
        verbose_name_plural = "服务机构"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ProviderKind]), name="provider_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def kind_label(self) -> str:
        return ProviderKind(self.kind).label

    @property
    def is_approved(self) -> bool:
        return self.status == ProviderStatus.APPROVED

    @property
    def status_tone(self) -> str:
        return {
            ProviderStatus.SUBMITTED: "blue",
            ProviderStatus.APPROVED: "green",
            ProviderStatus.REJECTED: "red",
            ProviderStatus.SUSPENDED: "secondary",
        }.get(self.status, "secondary")  # type: ignore[call-overload]


class ProviderMember(TimeStampedModel):
    """A user acting for a provider; the administrator adds and removes the others."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="provider_membership",
    )
    provider = models.ForeignKey(
        Provider, verbose_name="服务机构", on_delete=models.CASCADE, related_name="members"
    )
    is_admin = models.BooleanField("机构管理员", default=False)
    title = models.CharField("岗位", max_length=50, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="添加人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "机构成员"
        verbose_name_plural = "机构成员"
        ordering = ["-is_admin", "created_at"]

    def __str__(self) -> str:
        return f"{self.provider} · {self.user}"


def provider_document_path(instance: ProviderDocument, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"providers/{instance.provider_id}/{uuid.uuid4().hex}.{extension}"


class ProviderDocument(UploadedFile):
    """A qualification document (营业执照、金融许可证、执业许可证…), checked by its content."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField("材料名称", max_length=100, default="资质证明")
    file = models.FileField("文件", upload_to=provider_document_path, max_length=300)

    class Meta:
        verbose_name = "资质材料"
        verbose_name_plural = "资质材料"
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.original_name


class ProviderAction(models.TextChoices):
    REGISTER = "register", "申请入驻"
    APPROVE = "approve", "审核通过"
    REJECT = "reject", "审核不通过"
    RESUBMIT = "resubmit", "重新申请"
    SUSPEND = "suspend", "暂停"
    REINSTATE = "reinstate", "恢复"
    MEMBER_ADD = "member_add", "添加成员"
    MEMBER_REMOVE = "member_remove", "移除成员"


class ProviderEvent(WorkflowEvent):
    """One step of a provider's admission (and its membership changes)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30, choices=ProviderAction.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = "机构审核记录"
        verbose_name_plural = "机构审核记录"
