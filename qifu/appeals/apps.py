from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "qifu.appeals"
    verbose_name = "企业诉求"

    def ready(self) -> None:
        # Registers the appeal panels of the workbench.
        from qifu.appeals import workbench  # noqa: F401
        from qifu.notifications.schedules import register_schedule

        # Reminders before each deadline and overdue marking (both idempotent).
        register_schedule("appeals.sweep", "qifu.appeals.tasks.sweep", minutes=5)
