from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.demo.seeding import seed_demo


class Command(BaseCommand):
    help = "载入荣成市演示数据（幂等：重复运行不会重复添加）；--scale N 另加合成数据用于压测。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="合成数据倍数：每 1 倍加 1,000 家企业（后续版本还会加诉求等）。",
        )
        parser.add_argument("--dry-run", action="store_true", help="只演示，不保存任何变更。")

    def handle(self, *args: Any, scale: int, dry_run: bool, **options: Any) -> None:
        if scale < 0:
            raise CommandError("--scale 不能为负数。")
        started = time.monotonic()
        seed_demo(stdout=self.stdout, scale=scale, dry_run=dry_run)
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪，用时 {time.monotonic() - started:.1f} 秒。")
        )
