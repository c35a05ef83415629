"""The full-text index of policies: a table of jieba-segmented text kept by raw SQL.

Chinese has no spaces, so neither database can split it into words itself: `policy_index` stores
jieba's words separated by spaces. SQLite gets an FTS5 table (rowid = policy id, one column per
field, ranked with bm25); PostgreSQL a tsvector weighted title A, summary/tags B, body C, issuer
D with a GIN index, ranked with ts_rank_cd. The table is not a Django model on either backend, so
makemigrations never sees it; it has no foreign key either (a flush truncates policies_policy
alone): searches join on the policy table, and rows of deleted policies are simply never found.
"""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS policies_policy_fts
USING fts5(title, summary, body, tags, issuer, tokenize = 'unicode61')
"""

POSTGRES_CREATE = """
CREATE TABLE IF NOT EXISTS policies_policy_fts (
    policy_id bigint PRIMARY KEY,
    document tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS policies_policy_fts_document_idx
    ON policies_policy_fts USING gin (document);
"""

DROP = "DROP TABLE IF EXISTS policies_policy_fts"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_policy_library")]

    operations = [migrations.RunPython(forwards, backwards)]
