"""The checks behind /healthz: database, cache and queue answer."""

from __future__ import annotations

import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db import connection


def _timed(fn: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - a health check reports every failure
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value")
    cache.delete(key)


def _queue() -> None:
    from django_q.brokers import get_broker

    broker = get_broker()
    if not broker.ping():
        raise RuntimeError("queue broker did not answer")


def run_checks() -> dict[str, dict[str, Any]]:
    return {"database": _timed(_database), "cache": _timed(_cache), "queue": _timed(_queue)}
