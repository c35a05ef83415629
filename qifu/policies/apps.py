from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "qifu.policies"
    verbose_name = "政策服务"

    def ready(self) -> None:
        # Cached search results (qifu/policies/search.py) are dropped when a policy changes.
        from django.db.models.signals import post_delete, post_save

        from qifu.core.counts import bump
        from qifu.policies.models import Policy
        from qifu.policies.search import SEARCH_TOPIC

        def _policies_changed(sender: object, **kwargs: object) -> None:
            bump(SEARCH_TOPIC)

        post_save.connect(_policies_changed, sender=Policy, weak=False, dispatch_uid="search")
        post_delete.connect(_policies_changed, sender=Policy, weak=False, dispatch_uid="search-del")
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
