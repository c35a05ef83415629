from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qifu.assistant.services import faq_import, faq_rows_read


class Command(BaseCommand):
    help = "导入知识库（CSV 或 XLSX：question, answer, category, similar_questions 以 | 分隔）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--replace", action="store_true", help="用文件内容替换整个知识库")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            rows = faq_rows_read(path)
            with transaction.atomic():
                result = faq_import(rows=rows, replace=options["replace"])
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        prefix = "（试运行，未写入）" if options["dry_run"] else ""
        counts = f"新增 {result.created} 条，更新 {result.updated} 条，删除 {result.removed} 条。"
        self.stdout.write(prefix + counts)
