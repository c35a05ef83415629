from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def fill(apps, schema_editor):
    """Appeals waiting for dispatch: the clock started at the receipt, or at the latest move back
    to 研判 (a return or an unsatisfied outcome)."""
    Appeal = apps.get_model("appeals", "Appeal")
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    waiting = Appeal.objects.filter(stage__in=["received", "triaged"], dispatch_due_from=None)
    waiting.filter(stage="received").update(dispatch_due_from=F("received_at"))
    back = (
        AppealEvent.objects.filter(
            appeal_id=OuterRef("pk"),
            to_state="triaged",
            action__in=["return", "followup", "evaluate"],
        )
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    waiting.filter(stage="triaged").update(dispatch_due_from=Subquery(back))
    waiting.filter(stage="triaged", dispatch_due_from=None).update(
        dispatch_due_from=F("received_at")
    )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0006_dispatch_clock_start")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
