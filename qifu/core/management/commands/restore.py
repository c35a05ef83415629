"""manage.py restore <dir>: restore a backup, compare with its manifest, record the drill."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.core.backup import restore, target_from_url


class Command(BaseCommand):
    help = (
        "从 manage.py backup 的目录恢复数据库和上传文件，逐表核对行数与校验值，"
        "并把恢复演练记录写入 var/drills/。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path)
        parser.add_argument(
            "--database-url", help="恢复到另一个数据库（演练用）；默认是当前配置的数据库"
        )
        parser.add_argument("--media-root", type=Path, help="恢复到另一个目录；默认 MEDIA_ROOT")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库和上传文件")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["database_url"] and not options["yes"]:
            raise CommandError("恢复会覆盖当前数据库和上传文件：确认请加 --yes。")
        target = target_from_url(options["database_url"]) if options["database_url"] else None
        try:
            record = restore(options["source"], target=target, media_root=options["media_root"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"恢复失败：{exc}") from exc
        summary = (
            f"{record['tables']} 张表、{record['rows']} 行、{record['media_files']} 个文件；"
            f"演练记录 {record['record']}"
        )
        if not record["ok"]:
            raise CommandError(
                f"恢复后核对不一致：表 {record['table_mismatches']}，文件 "
                f"{record['media_mismatches']}，审计触发器 {record['audit_triggers']}；{summary}",
                returncode=1,
            )
        self.stdout.write(f"恢复完成且核对一致：{summary}")
