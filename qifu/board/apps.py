from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "qifu.board"
    verbose_name = "我要留言"

    def ready(self) -> None:
        from qifu.board import workbench  # noqa: F401  (registers the workbench panel)
