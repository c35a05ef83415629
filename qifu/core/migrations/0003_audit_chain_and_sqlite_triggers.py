"""The audit log's hash chain, and append-only triggers on SQLite too (MLPS 2.0 安全审计 c).

Rows written before the chain existed are chained here, in id order. SQLite gets the triggers
PostgreSQL already has (0002): UPDATE and DELETE of a row are refused for everyone, raw SQL and
upserts (INSERT … ON CONFLICT DO UPDATE) included. NOTE: a later migration that rebuilds the table
on SQLite (most AlterField/AddField do) drops its triggers: see qifu/core/sqlite_triggers.py.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from qifu.core import auditchain
from qifu.core.sqlite_triggers import SQLITE_DROP, SQLITE_TRIGGERS

PG_TRIGGER = "core_auditevent_no_update_delete"


def sqlite_triggers_create(schema_editor):
    for sql in SQLITE_TRIGGERS:
        schema_editor.execute(sql)


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    vendor = schema_editor.connection.vendor
    rows = AuditEvent.objects.order_by("id").values("id", "row_hash", *auditchain.FIELDS)
    if not rows.exists():
        if vendor == "sqlite":
            sqlite_triggers_create(schema_editor)
        return
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE core_auditevent DISABLE TRIGGER {PG_TRIGGER}")
    previous = ""
    for row in rows.iterator(chunk_size=2000):
        previous = auditchain.link(previous, row)
        AuditEvent.objects.filter(pk=row["id"]).update(row_hash=previous)
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE core_auditevent ENABLE TRIGGER {PG_TRIGGER}")
    if vendor == "sqlite":
        sqlite_triggers_create(schema_editor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_auditevent_append_only_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                blank=True, editable=False, max_length=80, verbose_name="校验值"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="audit_events",
                to=settings.AUTH_USER_MODEL,
                verbose_name="操作人",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="时间",
            ),
        ),
        migrations.RunPython(chain_existing_rows, backwards),
    ]
