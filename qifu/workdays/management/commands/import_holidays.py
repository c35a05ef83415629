"""python manage.py import_holidays FILE [--dry-run]: load holidays and make-up days from CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.workdays.importing import decode, parse_holiday_csv
from qifu.workdays.recompute import deadline_sources, deadlines_recompute, years_label
from qifu.workdays.services import holidays_import

_LABELS = {"created": "新增", "updated": "更新", "unchanged": "未变"}


class Command(BaseCommand):
    help = (
        "从 CSV 导入节假日与调休上班日（列：date,is_workday,name[,note]；"
        "is_workday 可为 1/0、true/false、上班/休息）。按日期更新，可重复执行。"
        "有被拒绝的行时，其余行照常导入，命令以非零状态结束。"
        "导入后重新计算所涉年份内所有未办结事项的期限，并记入各自的流转记录。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV 文件路径（UTF-8 或 GB18030）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = decode(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc
        except ValueError as exc:  # control characters, named by line
            raise CommandError(str(exc)) from exc
        table = parse_holiday_csv(text)
        dry_run = bool(options["dry_run"])
        # The import commits first; then the deadlines are recomputed here, where the
        # administrator sees the counts (idempotent: a re-run changes nothing more).
        result = holidays_import(rows=table.rows, dry_run=dry_run, recompute=False)
        for row, change in result.outcomes:
            kind = "调休上班" if row.is_workday else "放假"
            self.stdout.write(
                f"第{row.line}行 {row.on:%Y-%m-%d} {row.name}（{kind}）：{_LABELS[change]}"
            )
        for rejected in table.rejected:
            self.stderr.write(f"第{rejected.line}行 已拒绝：{rejected.reason}（{rejected.text}）")
        prefix = "试运行，未写入。" if dry_run else ""
        self.stdout.write(
            f"{prefix}新增 {result.count('created')} 行，更新 {result.count('updated')} 行，"
            f"未变 {result.count('unchanged')} 行，拒绝 {len(table.rejected)} 行。"
        )
        if result.changed_years and not dry_run:
            write_recompute_report(self, result.changed_years)
        if table.rejected:
            raise CommandError(f"有 {len(table.rejected)} 行被拒绝，请修正后重新导入。")


def write_recompute_report(command: BaseCommand, years: list[int]) -> None:
    """Recompute the open deadlines of the years and print what changed, per source."""
    counts = deadlines_recompute(years=years)
    labels = {s.key: s.label for s in deadline_sources()}
    parts = [
        f"{labels.get(key, key)} {'失败' if n < 0 else f'{n} 件'}" for key, n in counts.items()
    ]
    command.stdout.write(
        f"已按{years_label(years)}年节假日重新计算期限：" + "，".join(parts) + "。"
    )
