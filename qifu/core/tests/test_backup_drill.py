"""Checklist #45 (b, c): backup, restore into a fresh database, compare, keep a dated record.

MLPS 2.0 level 3 数据备份恢复 (L3-CES1-29/31). Runs on the configured engine: pg_dump/pg_restore
on PostgreSQL, the sqlite3 backup API on SQLite.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from qifu.core import backup as backups
from qifu.core.audit import audit_record

PG = connection.vendor == "postgresql"


@pytest.fixture
def scratch_target(tmp_path):
    if not PG:
        yield {"engine": "sqlite", "path": str(tmp_path / "restored.sqlite3")}, None
        return
    import psycopg

    current = backups.current_target()
    name = f"qifu_drill_{os.getpid()}"
    admin = {k: v for k, v in current.items() if k != "engine"}
    kwargs = {
        "dbname": "postgres",
        **{k: v for k, v in (("user", admin["user"]), ("host", admin["host"])) if v},
    }
    if admin["port"]:
        kwargs["port"] = admin["port"]
    if admin["password"]:
        kwargs["password"] = admin["password"]
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**current, "name": name}, name
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_identically(
    settings, tmp_path, scratch_target, make_enterprise, enterprise_user
):
    settings.VAR_DIR = tmp_path / "var"
    media = Path(settings.MEDIA_ROOT)
    (media / "appeals").mkdir(parents=True)
    (media / "appeals" / "现场.pdf").write_bytes(b"%PDF-1.4 drill")
    make_enterprise()
    for i in range(3):
        audit_record(action="test.drill", summary=f"第{i}条")

    out = tmp_path / "backup"
    call_command("backup", "--output", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["core_auditevent"]["rows"] >= 3
    assert manifest["media"] == {"appeals/现场.pdf": manifest["media"]["appeals/现场.pdf"]}
    assert manifest["audit_triggers"]

    target, _ = scratch_target
    record = backups.restore(out, target=target, media_root=tmp_path / "restored-media")
    assert record["ok"], record
    assert record["table_mismatches"] == [] and record["media_mismatches"] == []
    assert record["audit_triggers"] == manifest["audit_triggers"]
    assert (tmp_path / "restored-media" / "appeals" / "现场.pdf").read_bytes() == b"%PDF-1.4 drill"
    drill = json.loads(Path(record["record"]).read_text())
    assert drill["ok"] and drill["drill_at"] and drill["rows"] > 0
    assert Path(record["record"]).parent == tmp_path / "var" / "drills"


@pytest.mark.django_db(transaction=True)
def test_a_changed_backup_is_reported_and_exits_1(settings, tmp_path, scratch_target):
    settings.VAR_DIR = tmp_path / "var"
    audit_record(action="test.drill")
    out = tmp_path / "backup"
    call_command("backup", "--output", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["tables"]["core_auditevent"]["rows"] += 1
    (out / "manifest.json").write_text(json.dumps(manifest))
    target, _ = scratch_target
    url = (
        f"postgres://{target['user']}@{target['host']}:{target['port']}/{target['name']}"
        if PG
        else f"sqlite://{target['path']}"
    )
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "restore", str(out), "--database-url", url, "--media-root", str(tmp_path / "m")
        )
    assert excinfo.value.returncode == 1
    assert "core_auditevent" in str(excinfo.value)


def test_restore_into_the_live_database_needs_yes(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path))
