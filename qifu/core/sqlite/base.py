"""Django's SQLite backend, with `flush` allowed past the audit log's append-only triggers.

`manage.py flush` (and the test runner between transactional tests) empties every table; on
PostgreSQL it TRUNCATEs, which only the database owner may do. SQLite has no TRUNCATE and no
owner, so flush drops the audit triggers, empties the tables and puts the triggers back. Nothing
else the application does can get past them (qifu/core/migrations/0003).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations

AUDIT_TABLE = "core_auditevent"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = super().sql_flush(style, tables, **kwargs)
        if AUDIT_TABLE not in tables:
            return statements
        from qifu.core.sqlite_triggers import SQLITE_DROP, SQLITE_TRIGGERS

        return [*SQLITE_DROP, *statements, *SQLITE_TRIGGERS]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
