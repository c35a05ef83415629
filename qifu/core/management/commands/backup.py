"""manage.py backup: the database (pg_dump or the SQLite backup API) and media, with a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qifu.core.backup import backup


class Command(BaseCommand):
    help = "备份数据库和上传文件（含每张表的行数与校验值清单），默认写入 var/backups/。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="备份目录（须不存在）")

    def handle(self, *args: Any, **options: Any) -> None:
        path = backup(options["output"])
        self.stdout.write(f"备份完成：{path}")
