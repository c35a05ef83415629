from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "qifu.matters"
    verbose_name = "我要办事"
