"""One rate limiter: fixed-window counters in the cache (Redis INCR in production), O(1) a request.

Each limit is a key (who: a user, an address, a phone, "global"), a ceiling and a window. A request
is allowed when every limit it falls under is below its ceiling; then each counter is incremented
once (an atomic INCR on Redis; the key expires with its window). A refused request writes nothing,
and neither do requests no limit applies to. Used by the API (per user and per address), Open311,
every SMS sender, the sign-in pages and registration.

Fixed windows allow at most twice a ceiling across a window boundary; that is the accepted cost of
one counter per key instead of a list of every request time.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

PREFIX = "rl"


@dataclass(frozen=True)
class Limit:
    scope: str  # e.g. "api.user", "sms.phone"
    ident: str  # e.g. a user id, an address, a phone number
    ceiling: int
    window: int  # seconds

    def cache_key(self, now: float) -> str:
        return f"{PREFIX}:{self.scope}:{self.ident}:{int(now // self.window)}"

    def retry_after(self, now: float) -> int:
        return max(1, math.ceil(self.window - now % self.window))


def hit(*limits: Limit, now: float | None = None) -> int | None:
    """Count one request against every limit; None if allowed, else the seconds to wait."""
    now = time.time() if now is None else now
    limits = tuple(limit for limit in limits if limit.ceiling > 0)
    if not limits:
        return None
    keys = {limit.cache_key(now): limit for limit in limits}
    counts = cache.get_many(list(keys))
    full = [limit for key, limit in keys.items() if int(counts.get(key, 0)) >= limit.ceiling]
    if full:
        return max(limit.retry_after(now) for limit in full)
    over: list[Limit] = []
    for key, limit in keys.items():
        count = _increment(key, limit.window, exists=key in counts)
        if count > limit.ceiling:
            over.append(limit)
    if over:
        return max(limit.retry_after(now) for limit in over)
    return None


def _increment(key: str, window: int, *, exists: bool) -> int:
    if not exists and cache.add(key, 1, timeout=window + 1):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # the window's key expired in between: start it
        cache.add(key, 1, timeout=window + 1)
        return 1


def count(limit: Limit, now: float | None = None) -> int:
    """The requests counted so far in the current window (for tests and the admin)."""
    now = time.time() if now is None else now
    return int(cache.get(limit.cache_key(now), 0))
