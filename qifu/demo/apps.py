from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "qifu.demo"
    verbose_name = "演示数据"
