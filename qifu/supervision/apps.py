from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "qifu.supervision"
    verbose_name = "督办"

    def ready(self) -> None:
        # Registers the supervisors' workbench panel.
        from qifu.notifications.schedules import register_schedule
        from qifu.supervision import panels  # noqa: F401

        # The ladder's automatic steps (催办, then 通报) once their thresholds pass; idempotent.
        register_schedule("supervision.sweep", "qifu.supervision.services.supervision_sweep", 60)
