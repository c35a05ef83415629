from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "qifu.integrations"
    verbose_name = "系统对接"
