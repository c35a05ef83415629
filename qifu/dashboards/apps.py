from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "qifu.dashboards"
    verbose_name = "领导驾驶舱"

    def ready(self) -> None:
        from qifu.notifications.schedules import register_schedule

        # The default figures are computed ahead into the cache (see selectors.dashboards_warm).
        register_schedule("dashboards.warm", "qifu.dashboards.selectors.dashboards_warm", 4)
