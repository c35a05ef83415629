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
        from django import forms

        from qifu.core.text import no_control_characters

        # One place for every form: no CharField (and its subclasses without validators of their
        # own) accepts control characters or lone surrogates; Django refuses NUL itself.
        if no_control_characters not in forms.CharField.default_validators:
            forms.CharField.default_validators = [
                *forms.CharField.default_validators,
                no_control_characters,
            ]
