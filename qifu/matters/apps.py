from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "qifu.matters"
    verbose_name = "我要办事"

    def ready(self) -> None:
        from qifu.notifications.schedules import register_schedule

        register_schedule("matters.deadlines", "qifu.matters.tasks.deadlines_sweep", minutes=15)
