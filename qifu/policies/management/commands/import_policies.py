"""python manage.py import_policies FILE [--actor USERNAME] [--dry-run]: see policies.services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.accounts.models import User
from qifu.policies.imports import RowRejected, clean_policy_row, policy_issuers_by_name
from qifu.policies.management.commands._importing import run_import
from qifu.policies.services import policy_import


class Command(BaseCommand):
    help = (
        "导入政策（JSON/CSV/XLSX 交换格式）。按 code 幂等：新编码直接发布（导入即审核）；"
        "内容无变化不动；内容有变化记为新版本并重新发布。有被拒绝的行时以非零状态退出。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--actor", default="", help="执行导入的管理员用户名，默认第一个超级管理员"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options["actor"])
        issuers = policy_issuers_by_name()

        def handle_row(row: dict[str, Any]) -> str:
            data = clean_policy_row(row, issuers=issuers)
            try:
                return policy_import(data=data, actor=actor)
            except ValidationError as exc:
                raise RowRejected(exc.messages) from exc

        run_import(
            self,
            path=options["file"],
            key="policies",
            dry_run=options["dry_run"],
            label=lambda row: str(row.get("code") or row.get("title") or "（无编码）"),
            handle_row=handle_row,
        )


def _actor(username: str) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not user.is_superuser:
            raise CommandError(f"用户“{username}”不存在或不是系统管理员。")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("没有系统管理员账号，请先创建或用 --actor 指定。")
    return user
