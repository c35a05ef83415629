"""The shared loop of the import commands: row by row, a savepoint each, a report of every row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from qifu.policies.imports import RowRejected, read_rows

OUTCOME_LABELS = {"created": "新增", "updated": "更新", "unchanged": "无变化"}


class DryRunRollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


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
    counts: Counter[str] = Counter()
    rejected: list[tuple[int, str, list[str]]] = []
    try:
        with transaction.atomic():
            for number, row in enumerate(rows, start=1):
                name = label(row)
                try:
                    with transaction.atomic():
                        outcome = handle_row(row)
                except RowRejected as exc:
                    rejected.append((number, name, exc.reasons))
                    continue
                counts[outcome] += 1
                command.stdout.write(f"第{number}条 {name}：{OUTCOME_LABELS[outcome]}")
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    for number, name, reasons in rejected:
        command.stderr.write(f"第{number}条 {name}：拒绝 —— {'；'.join(reasons)}")
    summary = "，".join(f"{OUTCOME_LABELS[k]} {counts[k]}" for k in OUTCOME_LABELS)
    prefix = "试运行（未写入）：" if dry_run else ""
    command.stdout.write(f"{prefix}共 {len(rows)} 行：{summary}，拒绝 {len(rejected)}。")
    if rejected:
        raise CommandError(f"{len(rejected)} 行被拒绝，其余行已{'检查' if dry_run else '导入'}。")
