from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "qifu.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from qifu.workdays import workbench  # noqa: F401  (registers the workbench panel)
