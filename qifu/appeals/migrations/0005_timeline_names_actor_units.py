from django.db import migrations


def actor_units(apps, schema_editor):
    """Name each past step by the actor's own unit, as new steps are (the enterprise's name, the
    department's full name), instead of the role labels of before."""
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    for event in (
        AppealEvent.objects.select_related("actor__enterprise", "actor__department")
        .filter(actor__isnull=False)
        .iterator(chunk_size=500)
    ):
        actor = event.actor
        if actor.enterprise_id:
            label = actor.enterprise.name
        elif actor.department_id:
            label = actor.department.name
        else:
            label = "平台管理员" if actor.is_superuser else event.actor_label
        if label != event.actor_label:
            AppealEvent.objects.filter(pk=event.pk).update(actor_label=label[:100])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0004_rules_of_the_measures")]

    operations = [migrations.RunPython(actor_units, migrations.RunPython.noop)]
