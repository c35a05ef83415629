"""Load the default standard item list of 工程建设项目审批 (idempotent; never overwrites edits)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qifu.projects.services import project_templates_load


class Command(BaseCommand):
    help = "加载工程建设项目审批标准事项模板（可重复运行，不覆盖已修改的模板）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只显示将新增的数量")

    def handle(self, *args: Any, **options: Any) -> None:
        result = project_templates_load(dry_run=options["dry_run"])
        prefix = "（试运行）" if options["dry_run"] else ""
        self.stdout.write(f"{prefix}新增 {result['created']} 项，已存在 {result['unchanged']} 项。")
