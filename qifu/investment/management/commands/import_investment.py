from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.accounts.models import User
from qifu.investment.services.imports import IMPORT_KINDS, investment_import_file


class Command(BaseCommand):
    help = "从 CSV/XLSX 导入招商资料（园区、闲置资产、投资成本、合作项目）或外地重点企业。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORT_KINDS))
        parser.add_argument("file")
        parser.add_argument(
            "--actor", required=True, help="以哪位工作人员的名义导入（提供单位即其部门）"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入。")

    def handle(
        self, *args: Any, kind: str, file: str, actor: str, dry_run: bool, **opts: Any
    ) -> None:
        user = User.objects.filter(username=actor, is_active=True).first()
        if user is None:
            raise CommandError(f"没有账号 {actor}。")
        try:
            report = investment_import_file(kind_key=kind, path=file, actor=user, dry_run=dry_run)
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取 {file}：{exc}") from exc
        for row in report.rows:
            line = f"第{row.line}行 {row.number}：{row.label}"
            if row.reasons:
                self.stderr.write(f"{line} —— {'；'.join(row.reasons)}")
            else:
                self.stdout.write(line)
        self.stdout.write(report.summary)
        if report.rejected:
            raise CommandError(
                f"{len(report.rejected)} 行被拒绝，其余行已{'检查' if dry_run else '导入'}。"
            )
