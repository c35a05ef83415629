from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "qifu.investment"
    verbose_name = "智慧招商"

    def ready(self) -> None:
        from qifu.investment import hooks

        hooks.install()
