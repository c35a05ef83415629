from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "qifu.workdays"
    verbose_name = "工作日历"
