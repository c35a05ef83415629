from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "qifu.workspace"
    verbose_name = "专属空间"

    def ready(self) -> None:
        from qifu.notifications.schedules import register_schedule
        from qifu.workdays.recompute import register_deadline_source
        from qifu.workspace.cards import core, licences, members, requests  # noqa: F401
        from qifu.workspace.deadlines import request_deadlines_recompute

        register_schedule(
            "workspace.reminders", "qifu.workspace.reminders.reminders_sweep", minutes=24 * 60
        )
        register_schedule(
            "workspace.requests.deadlines", "qifu.workspace.tasks.deadlines_sweep", minutes=15
        )
        register_schedule(
            "workspace.assignments.fill", "qifu.workspace.tasks.assignments_fill_gaps", minutes=60
        )
        from qifu.workspace import workbench  # noqa: F401  (the commissioner's workbench panel)

        register_deadline_source("workspace", "专员服务申请", request_deadlines_recompute)
