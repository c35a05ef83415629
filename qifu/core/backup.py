"""Backup and restore of the database and the uploaded files, with a restore drill record.

MLPS 2.0 level 3 数据备份恢复 (L3-CES1-29/31): a local backup, a restore, and a record of a recent
restore test ("近期恢复测试记录"). `manage.py backup` writes a directory:

    db.dump         PostgreSQL: pg_dump -Fc (custom format)
    db.sqlite3      SQLite: a consistent copy by the sqlite3 backup API (safe while in use)
    media.tar.gz    MEDIA_ROOT
    manifest.json   time, engine, per-table row count and checksum, per-file SHA-256 of media

`manage.py restore <dir>` restores into the configured database (or `--database-url`, for a
drill into a scratch database) and MEDIA_ROOT (or `--media-root`), recomputes the counts and
checksums and compares them with the manifest; the result is written to var/drills/ as a dated
JSON record (the evidence an assessor asks for) and a mismatch exits 1.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"


# --- Where the data is -------------------------------------------------------------------------


def current_target() -> dict[str, Any]:
    """The configured default database as {'engine': 'postgresql'|'sqlite', ...}."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        return {
            "engine": "postgresql",
            "name": s["NAME"],
            "user": s.get("USER") or "",
            "password": s.get("PASSWORD") or "",
            "host": s.get("HOST") or "",
            "port": str(s.get("PORT") or ""),
        }
    return {"engine": "sqlite", "path": str(s["NAME"])}


def target_from_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql", "pgsql"):
        return {
            "engine": "postgresql",
            "name": unquote(parts.path.lstrip("/")),
            "user": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "host": parts.hostname or "",
            "port": str(parts.port or ""),
        }
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):  # sqlite:////abs/path
            path = "/" + path.lstrip("/")
        return {"engine": "sqlite", "path": path}
    raise ValueError(f"unsupported database URL {url!r}")


def _pg_env(target: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", target["host"]),
        ("PGPORT", target["port"]),
        ("PGUSER", target["user"]),
        ("PGPASSWORD", target["password"]),
        ("PGDATABASE", target["name"]),
    ):
        if value:
            env[key] = value
    return env


@contextmanager
def _dbapi(target: dict[str, Any]) -> Iterator[Any]:
    conn: Any
    if target["engine"] == "postgresql":
        import psycopg

        kwargs = {
            k: v
            for k, v in (
                ("dbname", target["name"]),
                ("user", target["user"]),
                ("password", target["password"]),
                ("host", target["host"]),
                ("port", target["port"]),
            )
            if v
        }
        conn = psycopg.connect(**kwargs)
    else:
        conn = sqlite3.connect(target["path"])
    try:
        yield conn
    finally:
        conn.close()


# --- Fingerprints --------------------------------------------------------------------------------


def _tables(conn: Any, engine: str) -> list[str]:
    cursor = conn.cursor()
    if engine == "postgresql":
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    return sorted(row[0] for row in cursor.fetchall())


def table_fingerprints(target: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{table: {'rows': n, 'sha256': digest of the sorted rows}} for every table."""
    with _dbapi(target) as conn:
        return _fingerprints(conn, target["engine"])


def _fingerprints(conn: Any, engine: str) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for table in _tables(conn, engine):
        cursor = conn.cursor()
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - names from the catalogue
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        digest = hashlib.sha256()
        for row in rows:
            digest.update(row.encode())
            digest.update(b"\n")
        result[table] = {"rows": len(rows), "sha256": digest.hexdigest()}
    return result


def media_fingerprints(root: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    if not root.exists():
        return files
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def audit_triggers(target: dict[str, Any]) -> list[str]:
    with _dbapi(target) as conn:
        cursor = conn.cursor()
        if target["engine"] == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditevent'::regclass "
                "AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'core_auditevent'"
            )
        return sorted(row[0] for row in cursor.fetchall())


# --- Backup --------------------------------------------------------------------------------------


def backup(output: Path | None = None) -> Path:
    started = time.monotonic()
    now = datetime.now(tz=UTC)
    output = output or settings.VAR_DIR / "backups" / f"qifu-{now:%Y%m%d-%H%M%S}"
    output.mkdir(parents=True, exist_ok=False)
    target = current_target()
    # The manifest describes exactly what was dumped, even while the platform keeps writing:
    # PostgreSQL dumps from a snapshot exported by the transaction that computes the checksums;
    # SQLite's checksums are computed on the copy.
    if target["engine"] == "postgresql":
        import psycopg

        with _dbapi(target) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            subprocess.run(  # noqa: S603
                [  # noqa: S607
                    "pg_dump",
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "-f",
                    str(output / "db.dump"),
                ],
                env=_pg_env(target),
                check=True,
            )
            tables = _fingerprints(conn, "postgresql")
            conn.rollback()
    else:
        source = sqlite3.connect(target["path"])
        dest = sqlite3.connect(output / "db.sqlite3")
        with dest:
            source.backup(dest)
        dest.close()
        source.close()
        tables = table_fingerprints({"engine": "sqlite", "path": str(output / "db.sqlite3")})
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(output / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": now.isoformat(),
        "engine": target["engine"],
        "tables": tables,
        "media": media_fingerprints(media_root),
        "audit_triggers": audit_triggers(target),
        "seconds": round(time.monotonic() - started, 2),
    }
    (output / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return output


# --- Restore -------------------------------------------------------------------------------------


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise ValueError(f"unsafe path in media archive: {member.name}")
        members.append(member)
    return members


def restore(
    source: Path, *, target: dict[str, Any] | None = None, media_root: Path | None = None
) -> dict[str, Any]:
    """Restore a backup directory and compare; returns the drill record (also written to var/)."""
    started = time.monotonic()
    manifest = json.loads((source / MANIFEST).read_text())
    target = target or current_target()
    media_root = media_root or Path(settings.MEDIA_ROOT)
    if manifest["engine"] != target["engine"]:
        raise ValueError(
            f"a {manifest['engine']} backup cannot be restored into {target['engine']}"
        )
    if target["engine"] == "postgresql":
        subprocess.run(  # noqa: S603
            [  # noqa: S607
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--exit-on-error",
                "-d",
                target["name"],
                str(source / "db.dump"),
            ],
            env=_pg_env(target),
            check=True,
        )
    else:
        backup_db = sqlite3.connect(source / "db.sqlite3")
        dest = sqlite3.connect(target["path"])
        with dest:
            backup_db.backup(dest)
        dest.close()
        backup_db.close()
    if media_root.exists():
        shutil.rmtree(media_root)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        staging = media_root.parent / f".restore-{os.getpid()}"
        archive.extractall(staging, members=_safe_members(archive))  # noqa: S202 - checked
        restored = staging / "media"
        if restored.exists():
            restored.rename(media_root)
        else:
            media_root.mkdir()
        shutil.rmtree(staging, ignore_errors=True)

    tables = table_fingerprints(target)
    media = media_fingerprints(media_root)
    triggers = audit_triggers(target)
    table_mismatches = sorted(
        name
        for name in set(tables) | set(manifest["tables"])
        if tables.get(name) != manifest["tables"].get(name)
    )
    media_mismatches = sorted(
        name
        for name in set(media) | set(manifest["media"])
        if media.get(name) != manifest["media"].get(name)
    )
    now = datetime.now(tz=UTC)
    record = {
        "drill_at": now.isoformat(),
        "backup": str(source),
        "backup_created_at": manifest["created_at"],
        "engine": target["engine"],
        "target": target.get("name") or target.get("path"),
        "tables": len(tables),
        "rows": sum(t["rows"] for t in tables.values()),
        "media_files": len(media),
        "table_mismatches": table_mismatches,
        "media_mismatches": media_mismatches,
        "audit_triggers": triggers,
        "audit_triggers_match": triggers == manifest.get("audit_triggers"),
        "seconds": round(time.monotonic() - started, 2),
    }
    record["ok"] = not table_mismatches and not media_mismatches and record["audit_triggers_match"]
    drills = settings.VAR_DIR / "drills"
    drills.mkdir(parents=True, exist_ok=True)
    path = drills / f"restore-{now:%Y%m%d-%H%M%S-%f}.json"
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2))
    record["record"] = str(path)
    return record
