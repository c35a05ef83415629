"""manage.py rotate_field_keys: re-encrypt every encrypted field with the newest key.

Put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), deploy, run this,
then drop the old keys.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from qifu.core import crypto
from qifu.core.audit import audit_record


class Command(BaseCommand):
    help = "用最新的密钥重新加密所有加密字段（密钥轮换）。"

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, field in crypto.encrypted_fields():
            column = field.attname
            manager = model._default_manager
            # Raw tokens, not the decrypted values: rotate() keeps the plaintext unseen.
            pks = manager.exclude(**{column: ""}).values_list("pk", flat=True)
            for pk in list(pks):
                with transaction.atomic():
                    raw = _raw_value(model, column, pk)
                    if not raw:
                        continue
                    token = crypto.rotate(raw) if crypto.is_token(raw) else crypto.encrypt(raw)
                    manager.filter(pk=pk).update(**{column: token})
                    total += 1
        audit_record(action="security.keys.rotate", summary=f"字段密钥轮换：{total} 个值")
        self.stdout.write(f"已用最新密钥重新加密 {total} 个值。")


def _raw_value(model: Any, column: str, pk: Any) -> str:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    name = connection.ops.quote_name(model._meta.get_field(column).column)
    key = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM {table} WHERE {key} = %s", [pk])  # noqa: S608
        row = cursor.fetchone()
    return str(row[0]) if row and row[0] else ""
