"""工作动态: announcements, service measures, good cases and news (measures, article 7)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from qifu.accounts.models import Section
from qifu.publishing.models import Publishable


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "涉企公告"
    MEASURE = "measure", "服务措施"
    CASE = "case", "优秀案例"
    NEWS = "news", "工作动态"


class Notice(Publishable):
    """A piece of 工作动态, provided by a department and reviewed before it is published."""

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("kind", "title", "summary", "body")

    # 工作动态 belongs to the 办事服务 section (article 7), so that section's agency reviews it.
    section = models.CharField(
        "所属版块", max_length=12, choices=Section.choices, default=Section.SERVICES
    )
    kind = models.CharField(
        "类别", max_length=16, choices=NoticeKind.choices, default=NoticeKind.NEWS
    )
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文", help_text="纯文本，空一行分段")

    class Meta(Publishable.Meta):
        verbose_name = "工作动态"
        verbose_name_plural = "工作动态"
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "published_at"], name="notice_status_published_idx"),
            models.Index(fields=["section", "status"], name="notice_section_status_idx"),
        ]

    def manage_url(self) -> str:
        from django.urls import reverse

        return reverse("content:edit", args=[self.pk])

    def __str__(self) -> str:
        return self.title
