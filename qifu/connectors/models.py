"""External systems where some matters are handled (一窗通, 政务云, 工程建设审批), their cases."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.validators import RegexValidator, URLValidator
from django.db import models

from qifu.core.models import TimeStampedModel

CODE_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_-]{1,31}$", "代码只能包含小写字母、数字、下划线和连字符。"
)
MATTER_CODE_VALIDATOR = RegexValidator(r"^[A-Za-z0-9_.-]{1,64}$", "事项编码格式不正确。")


RESERVED_DOMAINS = ("example.com", "example.net", "example.org")
RESERVED_TLDS = ("example", "test", "invalid", "localhost")


class Connector(TimeStampedModel):
    """An external system: where enterprises are handed over, the secret both sides sign with."""

    code = models.CharField("代码", max_length=32, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField("名称", max_length=100)
    entry_url = models.URLField(
        "统一入口地址", max_length=500, validators=[URLValidator(schemes=["https"])]
    )
    # HMAC needs the secret itself (a digest would not do); it is shown once, when generated.
    secret = models.CharField("共享密钥", max_length=128, editable=False)
    secret_rotated_at = models.DateTimeField("密钥生成时间", null=True, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "外部系统"
        verbose_name_plural = "外部系统"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_configured(self) -> bool:
        """Whether the entry address can be real: names reserved for examples (RFC 2606 and
        6761: example.com/.net/.org, .example, .test, .invalid, .localhost) never are, and are
        what a deployment has until the external system gives it its address."""
        host = (urlsplit(self.entry_url).hostname or "").lower().rstrip(".")
        if not host:
            return False
        if host.rsplit(".", 1)[-1] in RESERVED_TLDS:
            return False
        return not any(host == d or host.endswith("." + d) for d in RESERVED_DOMAINS)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "已收件"
    PROCESSING = "processing", "办理中"
    SUPPLEMENT = "supplement", "需补正"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未通过"
    COMPLETED = "completed", "已办结"


class ExternalCaseQuerySet(models.QuerySet["ExternalCase"]):
    def for_user(self, user: Any) -> ExternalCaseQuerySet:
        """Cases a user may read: staff see all, an enterprise user only their enterprise's."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.is_government:
            return self
        if user.enterprise_id:
            return self.filter(enterprise_id=user.enterprise_id)
        return self.none()


class ExternalCase(TimeStampedModel):
    """A matter an enterprise handles in an external system, as that system last reported it."""

    connector = models.ForeignKey(
        Connector, verbose_name="外部系统", on_delete=models.PROTECT, related_name="cases"
    )
    external_id = models.CharField("外部办件编号", max_length=64)
    enterprise = models.ForeignKey(
        "accounts.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="external_cases",
    )
    matter_code = models.CharField("事项编码", max_length=64, db_index=True)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices)
    status_text = models.CharField("状态说明", max_length=500, blank=True)
    last_event_at = models.DateTimeField("最近状态时间")
    licence = models.JSONField("证照信息", default=dict, blank=True)

    objects = ExternalCaseQuerySet.as_manager()

    class Meta:
        verbose_name = "外部办件"
        verbose_name_plural = "外部办件"
        ordering = ["-last_event_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["connector", "external_id"], name="external_case_unique_per_connector"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in CaseStatus]),
                name="external_case_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.connector_id}:{self.external_id}"


class ExternalCaseEvent(TimeStampedModel):
    """One status report received from an external system; each event_id is applied once."""

    connector = models.ForeignKey(
        Connector, verbose_name="外部系统", on_delete=models.PROTECT, related_name="events"
    )
    case = models.ForeignKey(
        ExternalCase, verbose_name="办件", on_delete=models.CASCADE, related_name="events"
    )
    event_id = models.CharField("事件编号", max_length=64)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices)
    status_text = models.CharField("状态说明", max_length=500, blank=True)
    occurred_at = models.DateTimeField("发生时间")
    # False when the event arrived after a newer one: kept in the timeline, status unchanged.
    is_current = models.BooleanField("更新了办件状态", default=True)
    payload = models.JSONField("原始报文", default=dict)

    class Meta:
        verbose_name = "外部办件事件"
        verbose_name_plural = "外部办件事件"
        ordering = ["occurred_at", "pk"]
        constraints = [
            # The replay guard: the same event reported twice is stored (and applied) once.
            models.UniqueConstraint(
                fields=["connector", "event_id"], name="external_event_unique_per_connector"
            ),
        ]

    def __str__(self) -> str:
        return self.event_id
