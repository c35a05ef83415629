"""The audit log's append-only triggers on SQLite (PostgreSQL has its own, migration 0002).

UPDATE and DELETE of a row are refused for everyone, raw SQL and upserts (INSERT … ON CONFLICT
DO UPDATE) included. A migration that rebuilds core_auditevent on SQLite (most AlterField and
AddField do) drops them: run `SQLITE_TRIGGERS` after it; a test fails while they are missing.
"""

SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update BEFORE UPDATE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete BEFORE DELETE ON core_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'core_auditevent is append-only'); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS core_auditevent_no_update",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete",
)
