from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qifu.notifications"
    verbose_name = "消息通知"
