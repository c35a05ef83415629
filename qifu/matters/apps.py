from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "qifu.matters"
    verbose_name = "我要办事"

    def ready(self) -> None:
        from qifu.matters.deadlines import application_deadlines_recompute
        from qifu.notifications.schedules import register_schedule
        from qifu.workdays.recompute import register_deadline_source

        register_schedule("matters.deadlines", "qifu.matters.tasks.deadlines_sweep", minutes=15)
        register_deadline_source("matters", "办件", application_deadlines_recompute)
