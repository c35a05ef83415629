"""manage.py appeals_anonymise: clear contact details of appeals past the retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from qifu.appeals.retention import appeals_anonymise


class Command(BaseCommand):
    help = "已办结且超过保存期限（APPEAL_RETENTION_DAYS）的诉求：清除联系人、电话和地点。"

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while count := appeals_anonymise():
            total += count
        days = settings.APPEAL_RETENTION_DAYS
        self.stdout.write(f"已去标识化 {total} 件诉求（保存期限 {days} 天）。")
