"""`python manage.py issue_api_key NAME`: issue a key for an integration and print it once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.integrations.models import Scope
from qifu.integrations.services import api_key_issue


class Command(BaseCommand):
    help = "为对接系统签发接口密钥（Open311 提交等），密钥只显示这一次。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="对接系统名称")
        parser.add_argument(
            "--scope",
            action="append",
            choices=Scope.values,
            help="权限范围，可重复；默认 open311",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            raw, key = api_key_issue(name=options["name"], scopes=options["scope"])
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stderr.write(
            f"已签发接口密钥 {key.name}（编号 {key.pk}），请立即妥善保存，之后无法再次查看："
        )
        self.stdout.write(raw)
