"""Write every registered periodic job as a django-q2 schedule (idempotent; run at each start)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qifu.notifications.schedules import schedules_ensure

OUTCOME_LABELS = {"created": "新建", "updated": "更新", "unchanged": "无变化"}


class Command(BaseCommand):
    help = "创建或更新各应用登记的定时任务（django-q2 Schedule），可重复执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做的改动")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        for job, outcome in schedules_ensure(dry_run=dry_run):
            label = OUTCOME_LABELS[outcome]
            self.stdout.write(f"{label}  {job.name}  每 {job.minutes} 分钟  {job.func}")
        if dry_run:
            self.stdout.write("（试运行，未写入数据库）")
