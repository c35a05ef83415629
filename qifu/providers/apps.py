from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "qifu.providers"
    verbose_name = "服务机构"

    def ready(self) -> None:
        from qifu.providers import workflow  # noqa: F401  (registers the process table)
