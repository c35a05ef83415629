"""API keys for integrations (Open311 clients, webhooks) and what they submitted."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from qifu.core.models import TimeStampedModel


class Scope(models.TextChoices):
    OPEN311 = "open311", "Open311 诉求提交"


class ApiKey(TimeStampedModel):
    """A key issued to an integration; only the SHA-256 of the key is stored, never the key."""

    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("密钥前缀", max_length=16, db_index=True)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    scopes = models.JSONField("权限范围", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The account an integration acts as in the appeal workflow (appeal_file needs a user): made
    # once at issue, with an unusable password, so it can never sign in.
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="服务账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_key",
    )
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口密钥"
        verbose_name_plural = "接口密钥"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Open311Request(TimeStampedModel):
    """The GeoReport v2 envelope of an appeal posted through Open311: who sent it and how.

    The submitter's contact fields stay here (never in the public GET answers).
    """

    appeal = models.OneToOneField(
        "appeals.Appeal", verbose_name="诉求", on_delete=models.CASCADE, related_name="open311"
    )
    api_key = models.ForeignKey(
        ApiKey, verbose_name="接口密钥", on_delete=models.PROTECT, related_name="requests"
    )
    account_id = models.CharField("账户（统一社会信用代码）", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    device_id = models.CharField("设备标识", max_length=100, blank=True)
    media_url = models.URLField("图片链接", max_length=500, blank=True)

    class Meta:
        verbose_name = "Open311 请求"
        verbose_name_plural = "Open311 请求"

    def __str__(self) -> str:
        return str(self.appeal_id)
