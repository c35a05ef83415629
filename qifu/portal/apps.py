from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "qifu.portal"
    verbose_name = "门户与工作台"

    def ready(self) -> None:
        # Registers the role panels of the workbench (我的账号, 我的企业, 我的部门, 系统管理).
        from qifu.portal import panels  # noqa: F401
