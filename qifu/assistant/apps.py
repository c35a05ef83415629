from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "qifu.assistant"
    verbose_name = "我要咨询"
