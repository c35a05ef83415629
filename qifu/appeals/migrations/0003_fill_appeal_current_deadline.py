"""Fill the new current-deadline column of existing appeals (data apart from schema)."""

from django.db import migrations
from django.db.models import Case, F, When


def fill(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    Appeal.objects.update(
        due_at=Case(
            When(stage__in=["received", "triaged"], then=F("dispatch_due_at")),
            When(stage="dispatched", then=F("respond_due_at")),
            When(stage="responded", then=F("followup_due_at")),
            default=None,
        )
    )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_appeal_current_deadline")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
