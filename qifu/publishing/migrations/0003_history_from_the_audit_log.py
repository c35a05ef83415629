from django.db import migrations


def copy_history(apps, schema_editor):
    """Until now an item's steps lived only in the audit log (publishing.*): copy them into its
    own history, so the edit pages keep showing what happened before."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    PublicationEvent = apps.get_model("publishing", "PublicationEvent")
    if PublicationEvent.objects.exists():
        return
    types = {f"{ct.app_label}.{ct.model}": ct for ct in ContentType.objects.all()}
    rows = []
    for event in AuditEvent.objects.filter(action__startswith="publishing.").iterator():
        content_type = types.get(event.object_type)
        if content_type is None or not event.object_id.isdigit():
            continue
        data = event.data or {}
        rows.append(
            PublicationEvent(
                content_type=content_type,
                object_id=int(event.object_id),
                at=event.at,
                action=event.action.removeprefix("publishing.")[:30],
                actor_id=event.actor_id,
                actor_label=(event.actor_username or "系统")[:100],
                from_state=str(data.get("from", ""))[:20],
                to_state=str(data.get("to", ""))[:20],
                note=str(data.get("comment", "")),
                data={"revision": data["revision"]} if "revision" in data else {},
            )
        )
        if len(rows) >= 1000:
            PublicationEvent.objects.bulk_create(rows)
            rows = []
    PublicationEvent.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_history_of_review_and_publication"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_history, migrations.RunPython.noop)]
