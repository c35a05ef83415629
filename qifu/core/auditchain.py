"""The audit log's hash chain (MLPS 2.0 level 3, 安全审计 c and 数据完整性; GB/T 39786 存储完整性).

Every row stores `row_hash = H(previous row's row_hash || canonical(row))`, with H = SM3 where the
cryptography library (OpenSSL) offers it and SHA-256 otherwise; the algorithm is the prefix of the
stored value (`sm3:…`, `sha256:…`), so a chain written on one machine verifies on another.
Changing, inserting or deleting a row breaks the chain from that row on; `manage.py audit_verify`
walks it and names the first row that does not match.

This module works on plain values (dicts), so the migration that chains the rows written before
the chain existed uses the same code as the application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Mapping
from typing import Any

FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "ip_address",
    "user_agent",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "summary",
    "data",
)


def _sm3_available() -> bool:
    try:
        from cryptography.hazmat.primitives import hashes

        digest = hashes.Hash(hashes.SM3())
        digest.update(b"abc")
        return digest.finalize().hex().startswith("66c7f0f4")
    except Exception:  # noqa: BLE001 - any failure means: no SM3 in this build of OpenSSL
        return "sm3" in hashlib.algorithms_available


def default_algorithm() -> str:
    return "sm3" if _sm3_available() else "sha256"


def digest(algorithm: str, payload: bytes) -> str:
    if algorithm == "sm3":
        try:
            from cryptography.hazmat.primitives import hashes

            h = hashes.Hash(hashes.SM3())
            h.update(payload)
            return h.finalize().hex()
        except Exception:  # noqa: BLE001 - fall back to hashlib's OpenSSL SM3
            return hashlib.new("sm3", payload).hexdigest()
    if algorithm == "sha256":
        return hashlib.sha256(payload).hexdigest()
    raise ValueError(f"unknown audit hash algorithm {algorithm!r}")


def normalise_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _at(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Mapping[str, Any]) -> bytes:
    """The bytes hashed for one row: its fields as sorted, compact JSON (UTC time, microseconds)."""
    values = {
        "at": _at(row["at"]),
        "actor_id": row.get("actor_id"),
        "actor_username": row.get("actor_username") or "",
        "ip_address": normalise_ip(row.get("ip_address")),
        "user_agent": row.get("user_agent") or "",
        "action": row.get("action") or "",
        "outcome": row.get("outcome") or "",
        "object_type": row.get("object_type") or "",
        "object_id": row.get("object_id") or "",
        "summary": row.get("summary") or "",
        # A JSON round trip first: what the database gives back is what is hashed.
        "data": json.loads(json.dumps(row.get("data") or {}, default=str)),
    }
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def link(previous: str, row: Mapping[str, Any], algorithm: str | None = None) -> str:
    """The row_hash of `row` written after a row whose row_hash is `previous` ('' for the first)."""
    algorithm = algorithm or default_algorithm()
    payload = previous.encode() + b"\n" + canonical(row)
    return f"{algorithm}:{digest(algorithm, payload)}"


def verify(rows: Iterable[Mapping[str, Any]]) -> tuple[int, Mapping[str, Any] | None]:
    """Walk rows in id order: (rows checked, the first row that breaks the chain or None)."""
    previous = ""
    checked = 0
    for row in rows:
        stored = row.get("row_hash") or ""
        algorithm = stored.split(":", 1)[0] if ":" in stored else default_algorithm()
        try:
            expected = link(previous, row, algorithm)
        except ValueError:
            return checked, row
        if stored != expected:
            return checked, row
        previous = stored
        checked += 1
    return checked, None
