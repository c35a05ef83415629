"""Cached counts (qifu/core/counts.py): one computation per query and version, dropped by a
change of the topic's table."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from qifu.accounts.models import Department
from qifu.core.counts import CachedCountPaginator, bump, cached, cached_count


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_count_is_computed_once_until_its_topic_changes(
    django_assert_num_queries: Any,
) -> None:
    Department.objects.create(code="t1", name="甲")
    qs = Department.objects.filter(code__startswith="t")
    with django_assert_num_queries(1):
        assert cached_count("departments", qs) == 1
        assert cached_count("departments", qs) == 1  # from the cache
    Department.objects.create(code="t2", name="乙")
    assert cached_count("departments", qs) == 1  # nothing told the cache
    bump("departments")
    assert cached_count("departments", qs) == 2


@pytest.mark.django_db
def test_each_query_has_its_own_entry_and_its_time() -> None:
    Department.objects.create(code="t1", name="甲")
    a = Department.objects.filter(code="t1")
    b = Department.objects.filter(code="none")
    assert cached_count("departments", a) == 1
    assert cached_count("departments", b) == 0
    value, at = cached("departments", a, a.count)
    assert value == 1 and at is not None


@pytest.mark.django_db
def test_the_paginator_takes_its_total_from_the_cache(django_assert_num_queries: Any) -> None:
    for i in range(3):
        Department.objects.create(code=f"t{i}", name=f"单位{i}")
    qs = Department.objects.filter(code__startswith="t").order_by("code")
    assert CachedCountPaginator(qs, 2, topic="departments").count == 3
    with django_assert_num_queries(0):
        paginator = CachedCountPaginator(qs, 2, topic="departments")
        assert paginator.count == 3 and paginator.num_pages == 2
    assert paginator.counted_at is not None


@pytest.mark.django_db
def test_a_transaction_bumps_at_each_change_and_once_more_on_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from qifu.core.counts import _version

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bump("departments")
        first = _version("departments")
        bump("departments")  # the writer's own next read sees its second change too
        second = _version("departments")
        assert second != first
    assert len(callbacks) == 1  # one bump on commit, however many rows were saved
    assert _version("departments") != second  # it retires what readers cached meanwhile


def test_an_empty_queryset_counts_zero_without_sql(db: Any) -> None:
    """`.none()` has no SQL to key the cache by (found by the URL × role matrix, tests/matrix:
    GET /api/v1/appeals as a provider's user answered 500)."""
    assert cached_count("departments", Department.objects.none()) == 0


def test_a_user_who_may_see_no_appeal_gets_an_empty_list(
    db: Any, bank_user: Any, api_client_for: Any
) -> None:
    response = api_client_for(bank_user).get("/api/v1/appeals")
    assert response.status_code == 200
    assert response.json()["count"] == 0
