from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qifu.accounts"
    verbose_name = "账号与组织"

    def ready(self) -> None:
        from qifu.accounts import signals  # noqa: F401  (audit of sign-in events)
