"""The API's rate limiter: one atomic counter per user and per address (issue 17)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from qifu.core.ratelimit import Limit, count, hit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


def test_a_limit_counts_with_one_integer_and_refusals_write_nothing() -> None:
    limit = Limit("test", "x", 3, 60)
    now = 60 * 16_667 + 20.0
    assert [hit(limit, now=now) for _ in range(3)] == [None, None, None]
    assert hit(limit, now=now) == 40  # seconds to the end of the window
    assert hit(limit, now=now) == 40
    assert cache.get(limit.cache_key(now)) == 3  # an int, not a list of times
    assert hit(limit, now=now + 60) is None  # the next window starts afresh


def test_every_limit_must_allow_and_a_refusal_counts_none_of_them() -> None:
    small, large = Limit("test", "small", 1, 60), Limit("test", "large", 10, 60)
    assert hit(small, large) is None
    assert hit(small, large) is not None
    assert (count(small), count(large)) == (1, 1)


def test_anonymous_api_callers_are_limited_per_address(settings: Any) -> None:
    settings.API_RATE_LIMIT_ANON_PER_MINUTE = 3
    client = Client()
    codes = [client.get("/api/v1/matters").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert count(Limit("api.anon", "127.0.0.1", 3, 60), now=time.time()) == 3
    # Another address is not affected.
    assert Client(REMOTE_ADDR="10.0.0.9").get("/api/v1/matters").status_code == 200


def test_a_forged_forwarded_for_header_does_not_reset_the_count(settings: Any) -> None:
    settings.API_RATE_LIMIT_ANON_PER_MINUTE = 2
    codes = [
        Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").get("/api/v1/matters").status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_a_user_is_limited_across_addresses(
    settings: Any, enterprise_user: Any, api_client_for: Any
) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 2
    client = api_client_for(enterprise_user)
    codes = [client.get("/api/v1/me", REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(1, 4)]
    assert codes == [200, 200, 429]
    assert "Retry-After" in client.get("/api/v1/me")


def test_signed_in_users_share_a_higher_ceiling_per_address(
    settings: Any, enterprise_user: Any, other_enterprise_user: Any, api_client_for: Any
) -> None:
    settings.API_RATE_LIMIT_PER_MINUTE = 100
    settings.API_RATE_LIMIT_PER_ADDRESS_PER_MINUTE = 3
    first, second = api_client_for(enterprise_user), api_client_for(other_enterprise_user)
    codes = [c.get("/api/v1/me").status_code for c in (first, second, first, second)]
    assert codes == [200, 200, 200, 429]
