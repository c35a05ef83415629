from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "qifu.content"
    verbose_name = "工作动态"

    def ready(self) -> None:
        from qifu.content import panels  # noqa: F401  (workbench panel provider)
