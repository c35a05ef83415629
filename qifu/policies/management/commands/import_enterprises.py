"""python manage.py import_enterprises FILE [--dry-run]: idempotent by credit code."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from qifu.policies.imports import RowRejected, clean_enterprise_row, towns_by_name
from qifu.policies.management.commands._importing import run_import
from qifu.policies.services import enterprise_import


class Command(BaseCommand):
    help = "导入企业（JSON/CSV/XLSX 交换格式，按统一社会信用代码幂等）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        towns = towns_by_name()

        def handle_row(row: dict[str, Any]) -> str:
            data = clean_enterprise_row(row, towns=towns)
            try:
                return enterprise_import(data=data)
            except ValidationError as exc:
                raise RowRejected(exc.messages) from exc

        run_import(
            self,
            path=options["file"],
            key="enterprises",
            dry_run=options["dry_run"],
            label=lambda row: str(row.get("credit_code") or row.get("name") or "（无代码）"),
            handle_row=handle_row,
        )
