from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "qifu.projects"
    verbose_name = "项目管家"

    def ready(self) -> None:
        from qifu.notifications.schedules import register_schedule
        from qifu.projects import cards, workbench  # noqa: F401  (space cards, timeline, workbench)
        from qifu.projects.deadlines import project_deadlines_recompute
        from qifu.workdays.recompute import register_deadline_source

        register_schedule("projects.reminders", "qifu.projects.tasks.reminders_sweep", minutes=60)
        register_deadline_source("projects", "项目审批事项", project_deadlines_recompute)
