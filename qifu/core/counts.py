"""Counts over big tables on hot pages: computed at most once a minute per query, not per
request, and dropped at once when the table changes (`bump`).

An exact COUNT or GROUP BY over 10^5–10^6 appeals costs 5–100 ms a request (SQLite to
PostgreSQL); a staff list page shows the same numbers to everyone in the same scope. The cache
key is the SQL of the query (so visibility rules and filters are part of it) and a version per
topic that `bump(topic)` changes whenever a row of the topic is created, changes stage or is
deleted (qifu/appeals/apps.py). Writes that bypass `save()` (queryset.update) show up within
`COUNT_SECONDS`; pages label the numbers with the time they were counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import cached_property
from ninja.pagination import LimitOffsetPagination

COUNT_SECONDS = 60
T = TypeVar("T")


def _version(topic: str) -> str:
    return str(cache.get(f"counts:{topic}:v") or "0")


def _set_version(topic: str) -> None:
    # Random, not the clock: a frozen or repeated clock must not reuse a version.
    cache.set(f"counts:{topic}:v", secrets.token_hex(8), None)


def bump(topic: str) -> None:
    """The topic's table changed: every cached count of it is recomputed on next use.

    Bumped at once (the writer's own next read sees its change) and again when the transaction
    commits (a reader in between may have cached the old rows under the first new version),
    that one once per transaction however many rows it saves: a cache write is not free (a
    file on the default cache)."""
    _set_version(topic)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    pending = getattr(connection, "run_on_commit", [])
    if any(getattr(entry[1], "counts_topic", None) == topic for entry in pending):
        return

    def _on_commit() -> None:
        _set_version(topic)

    _on_commit.counts_topic = topic  # type: ignore[attr-defined]
    transaction.on_commit(_on_commit)


def cached(
    topic: str, qs: QuerySet[Any], compute: Callable[[], T], *, extra: str = ""
) -> tuple[T, dt.datetime]:
    """`compute()` (a count or an aggregate of `qs`, or a search over it with the terms in
    `extra`), at most once a minute per query and version; returns the value and when it was
    computed."""
    try:
        text = f"{qs.query}\x00{extra}"
    except EmptyResultSet:  # `.none()` (a user who may see nothing): no SQL, nothing to cache
        return compute(), timezone.now()
    digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()
    key = f"counts:{topic}:{_version(topic)}:{digest}"
    hit = cache.get(key)
    if hit is not None:
        return hit[0], hit[1]
    value, at = compute(), timezone.now()
    cache.set(key, (value, at), COUNT_SECONDS)
    return value, at


def cached_count(topic: str, qs: QuerySet[Any]) -> int:
    return cached(topic, qs, qs.count)[0]


class CachedCountPaginator(Paginator):
    """Django's paginator whose total comes from `cached_count` (pass `topic=`)."""

    def __init__(self, object_list: Any, per_page: int, *, topic: str, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.topic = topic
        self.counted_at: dt.datetime | None = None

    @cached_property
    def count(self) -> int:
        qs: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        value, self.counted_at = cached(self.topic, qs, qs.count)
        return value


def cached_count_pagination(topic: str) -> type[LimitOffsetPagination]:
    """django-ninja's limit/offset pagination with the total from `cached_count`."""

    class CachedCountPagination(LimitOffsetPagination):
        def _items_count(self, queryset: QuerySet[Any]) -> int:
            return cached_count(topic, queryset)

    CachedCountPagination.__name__ = f"CachedCountPagination_{topic}"
    return CachedCountPagination
