from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "qifu.assessment"
    verbose_name = "监督考核"

    def ready(self) -> None:
        from qifu.assessment import workbench  # noqa: F401  (registers the workbench panel)
