"""Base models (timestamps, uploaded files) and the append-only audit log."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class UploadedFile(TimeStampedModel):
    """What every uploaded file keeps beside the stored file itself.

    Each concrete model declares its own `file` (its own `upload_to`) and may redeclare a
    field that differs; a model without an uploader sets `uploaded_by = None`.
    """

    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """One step of a process (qifu/core/workflow.py): its timeline, its statistics, one vocabulary.

    Each process has a concrete subclass with the foreign key to its subject and its actions as
    choices; `actor_label` names the unit the actor acted for (an enterprise, a department).
    """

    at = models.DateTimeField("时间", db_index=True)
    action = models.CharField("动作", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField("操作单位", max_length=100, blank=True)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    # Internal steps stay between the platform and the departments; the enterprise never sees them.
    is_public = models.BooleanField("企业可见", default=True)
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        return self.get_action_display()  # type: ignore[attr-defined,no-any-return]


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    # The application may never rewrite history (MLPS 2.0 level 3, 安全审计 c).
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("审计日志只能追加，不能修改")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("审计日志只能追加，不能删除")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        # Rows are written one by one by audit_record(), which chains them; an upsert
        # (update_conflicts=True) would rewrite rows (the databases' triggers refuse it too).
        raise PermissionError("审计日志只能由 audit_record() 逐条追加")

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        raise PermissionError("审计日志只能追加，不能修改")


class AuditEvent(models.Model):
    """One audited action: who, when, from where, what, on which object, with what outcome."""

    at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    # PROTECT: an account that has acted is deactivated, never deleted (its rows name it).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_constraint=False,
    )
    actor_username = models.CharField("账号", max_length=150, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=300, blank=True)
    action = models.CharField("动作", max_length=100, db_index=True)
    outcome = models.CharField(
        "结果", max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    summary = models.CharField("摘要", max_length=500, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    # H(previous row_hash || this row), qifu/core/auditchain.py; verified by manage.py audit_verify.
    row_hash = models.CharField("校验值", max_length=80, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("审计日志只能追加，不能删除")
