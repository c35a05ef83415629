from django.apps import AppConfig


class DeclarationsConfig(AppConfig):
    name = "qifu.declarations"
    verbose_name = "项目申报"

    def ready(self) -> None:
        from qifu.declarations.deadlines import application_deadlines_recompute
        from qifu.declarations.notifications import call_published
        from qifu.notifications.schedules import register_schedule
        from qifu.publishing.services import after_publish_hooks
        from qifu.workdays.recompute import register_deadline_source

        # Eligible enterprises learn of a call the moment it is published.
        if call_published not in after_publish_hooks:
            after_publish_hooks.append(call_published)
        # Publicity periods end at a working-day cut-off; the sweep is idempotent.
        register_schedule(
            "declarations.finalise_due", "qifu.declarations.tasks.finalise_due", minutes=15
        )
        register_schedule(
            "declarations.deadlines", "qifu.declarations.tasks.deadlines_sweep", minutes=15
        )
        register_deadline_source("declarations", "项目申报", application_deadlines_recompute)
