from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qifu.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from django.conf import settings

        from qifu.notifications.schedules import register_schedule

        register_schedule(
            "core.security_alerts",
            "qifu.core.tasks.security_alerts_sweep",
            minutes=settings.SECURITY_ALERT_WINDOW_MINUTES,
        )
        # Forms refuse control characters through StyledFormMixin (qifu/core/forms.py).
