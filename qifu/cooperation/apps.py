from django.apps import AppConfig


class CooperationConfig(AppConfig):
    name = "qifu.cooperation"
    verbose_name = "校企共建"

    def ready(self) -> None:
        from qifu.cooperation import cards  # noqa: F401  (the exclusive space's card and timeline)
        from qifu.cooperation.deadlines import cooperation_deadlines_recompute
        from qifu.notifications.schedules import register_schedule
        from qifu.workdays.recompute import register_deadline_source

        register_schedule(
            "cooperation.deadlines",
            "qifu.cooperation.deadlines.cooperation_deadline_sweep",
            minutes=15,
        )
        register_deadline_source("cooperation", "校企对接", cooperation_deadlines_recompute)
