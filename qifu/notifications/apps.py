from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qifu.notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from qifu.notifications import workbench  # noqa: F401 - registers the workbench panel
        from qifu.notifications.schedules import register_schedule

        register_schedule(
            "notifications.deliver_outbox", "qifu.notifications.tasks.deliver_outbox", 1
        )
        register_schedule(
            "notifications.send_due_reminders", "qifu.notifications.tasks.send_due_reminders", 5
        )
