from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "qifu.board"
    verbose_name = "我要留言"
