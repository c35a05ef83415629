"""python manage.py recompute_deadlines YEAR [YEAR …]: redo the open deadlines of those years."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qifu.workdays.management.commands.import_holidays import write_recompute_report


class Command(BaseCommand):
    help = (
        "按当前工作日历重新计算所涉年份内所有未办结事项的期限（如升级 chinesecalendar 获得新年份"
        "的放假安排之后）。期限未变的事项不受影响，可重复执行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("years", nargs="+", type=int, help="年份，如 2027")

    def handle(self, *args: Any, **options: Any) -> None:
        years = sorted(set(options["years"]))
        if any(not 2000 <= y <= 2100 for y in years):
            raise CommandError("年份应在2000至2100之间。")
        write_recompute_report(self, years)
