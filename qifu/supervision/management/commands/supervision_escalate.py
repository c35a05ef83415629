from typing import Any

from django.core.management.base import BaseCommand

from qifu.supervision.services import supervision_sweep


class Command(BaseCommand):
    help = "督办台：到期的督办案件自动催办、列入通报（也由定时任务每小时执行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        result = supervision_sweep()
        self.stdout.write(f"催办 {result['urged']} 件，列入通报 {result['escalated']} 件。")
