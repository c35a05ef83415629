from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "qifu.publishing"
    verbose_name = "审核发布"

    def ready(self) -> None:
        from qifu.notifications.schedules import register_schedule

        # Scheduled items go out within a minute of publish_at; expiry is also enforced at read
        # time by published(), so the hourly sweep only brings the stored status up to date.
        register_schedule("publishing.publish_due", "qifu.publishing.tasks.publish_due", 1)
        register_schedule("publishing.expire_due", "qifu.publishing.tasks.expire_due", 60)
