from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "qifu.portal"
    verbose_name = "门户与工作台"
