from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from qifu.policies.search import policy_reindex_all


class Command(BaseCommand):
    help = "重建政策全文检索索引（jieba 分词）；可随时重复运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        total = policy_reindex_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"已重建 {total} 条政策的检索索引，用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
