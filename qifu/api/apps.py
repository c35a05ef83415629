from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qifu.api"
    verbose_name = "接口"
