from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qifu.accounts"
    verbose_name = "账号与组织"

    def ready(self) -> None:
        from qifu.accounts import checks, signals  # noqa: F401  (system checks; sign-in audit)
