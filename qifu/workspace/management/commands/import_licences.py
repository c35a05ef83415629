"""python manage.py import_licences FILE [--dry-run]: e-licences from CSV/XLSX, by number."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.workspace.services.licences import licences_import_file


class Command(BaseCommand):
    help = (
        "导入外部核发的电子证照（CSV/XLSX，列：number, name, credit_code, issuer, issued_on, "
        "valid_until，可选 scope；按证照编号幂等）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"]
        try:
            report = licences_import_file(path=path, dry_run=options["dry_run"])
        except UnicodeDecodeError as exc:
            raise CommandError(f"无法读取 {path}：请以 UTF-8 编码保存 CSV 文件。") from exc
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取 {path}：{exc}") from exc
        for row in report.rows:
            if row.outcome == "rejected":
                self.stderr.write(f"第{row.line}行 {row.number}：拒绝 —— {'；'.join(row.reasons)}")
            else:
                self.stdout.write(f"第{row.line}行 {row.number}：{row.label}")
        self.stdout.write(report.summary)
        if report.rejected:
            done = "检查" if report.dry_run else "导入"
            raise CommandError(f"{len(report.rejected)} 行被拒绝，其余行已{done}。")
