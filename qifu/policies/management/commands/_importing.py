"""The shared loop of the import commands: row by row, a savepoint each, a report of every row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qifu.core.spreadsheets import FIRST_DATA_LINE, import_rows
from qifu.policies.imports import read_rows


def run_import(
    command: BaseCommand,
    *,
    path: str,
    key: str,
    dry_run: bool,
    label: Callable[[dict[str, Any]], str],
    handle_row: Callable[[dict[str, Any]], str],
) -> None:
    """Import every row; a rejected row is reported and skipped; exit non-zero if any was."""
    try:
        rows = read_rows(path, key)
    except (OSError, ValueError) as exc:
        raise CommandError(f"无法读取 {path}：{exc}") from exc
    report = import_rows(rows, one=handle_row, key=label, dry_run=dry_run)
    for row in report.rows:
        number = row.line - FIRST_DATA_LINE + 1
        if row.outcome == "rejected":
            command.stderr.write(f"第{number}条 {row.number}：拒绝 —— {'；'.join(row.reasons)}")
        else:
            command.stdout.write(f"第{number}条 {row.number}：{row.label}")
    command.stdout.write(report.summary)
    if report.rejected:
        kept = "检查" if dry_run else "导入"
        raise CommandError(f"{len(report.rejected)} 行被拒绝，其余行已{kept}。")
