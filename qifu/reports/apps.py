from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "qifu.reports"
    verbose_name = "数据监测"
