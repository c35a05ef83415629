from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "qifu.policies"
    verbose_name = "政策服务"

    def ready(self) -> None:
        # Registers the policy panel of the workbench (政策审核).
        from qifu.notifications.schedules import register_schedule
        from qifu.policies import workbench  # noqa: F401
        from qifu.policies.services import on_publish
        from qifu.publishing.services import after_publish_hooks

        # New policies reach eligible enterprises and subscribers after the publication commits;
        # 免申即享 policies also list their eligible enterprises for the issuer to confirm.
        if on_publish not in after_publish_hooks:
            after_publish_hooks.append(on_publish)
        register_schedule("policies.flag_stale", "qifu.policies.tasks.flag_stale", minutes=1440)
