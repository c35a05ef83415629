"""Rewrite the generated blocks of README.md and docs/api.md (`--check`: fail if out of date)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.core import docs


class Command(BaseCommand):
    help = "重新生成 README.md 的流程表与 docs/api.md 的接口索引；--check 仅检查是否过期。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="只检查，过期则以 1 退出")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if check:
            stale = docs.stale()
            if stale:
                names = "、".join(str(p.name) for p in stale)
                raise CommandError(f"文档已过期：{names}。请运行 python manage.py write_docs。")
            self.stdout.write("文档与代码一致。")
            return
        for path in docs.write():
            self.stdout.write(f"已更新 {path.name}")
