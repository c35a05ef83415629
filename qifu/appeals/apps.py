from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "qifu.appeals"
    verbose_name = "企业诉求"

    def ready(self) -> None:
        # Cached counts of the lists (qifu/core/counts.py) are dropped when an appeal changes.
        from django.db.models.signals import post_delete, post_save

        from qifu.appeals.models import Appeal
        from qifu.appeals.selectors import COUNTS_TOPIC
        from qifu.core.counts import bump

        def _appeals_changed(sender: object, **kwargs: object) -> None:
            bump(COUNTS_TOPIC)

        # weak=False: the receiver is a local function, kept alive by the signal alone.
        post_save.connect(
            _appeals_changed, sender=Appeal, weak=False, dispatch_uid="appeals-counts"
        )
        post_delete.connect(
            _appeals_changed, sender=Appeal, weak=False, dispatch_uid="appeals-counts-del"
        )
        # Registers the appeal panels of the workbench.
        from qifu.appeals import workbench  # noqa: F401
        from qifu.appeals.deadlines import appeal_deadlines_recompute
        from qifu.notifications.schedules import register_schedule
        from qifu.workdays.recompute import register_deadline_source

        # Reminders before each deadline and overdue marking (both idempotent).
        register_schedule("appeals.sweep", "qifu.appeals.tasks.sweep", minutes=5)
        # Contact details of appeals closed longer than APPEAL_RETENTION_DAYS are cleared.
        register_schedule(
            "appeals.anonymise", "qifu.appeals.retention.appeals_anonymise", minutes=24 * 60
        )
        # Open deadlines follow an import or edit of a year's holidays.
        register_deadline_source("appeals", "企业诉求", appeal_deadlines_recompute)
