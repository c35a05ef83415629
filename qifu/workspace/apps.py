from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "qifu.workspace"
    verbose_name = "专属空间"

    def ready(self) -> None:
        from qifu.workspace import space  # noqa: F401  (panels and timeline sources)
