from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "qifu.dashboards"
    verbose_name = "领导驾驶舱"
