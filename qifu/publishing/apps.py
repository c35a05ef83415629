from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "qifu.publishing"
    verbose_name = "审核发布"
