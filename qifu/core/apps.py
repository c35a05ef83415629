from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qifu.core"
    verbose_name = "基础"
