"""The API's rate limits (settings API_RATE_LIMIT_*), on the one limiter in qifu.core.ratelimit.

A signed-in caller counts per user and, with a higher ceiling, per address (many users may share
an office's address); an anonymous caller counts per address. The address is the one
`client_ip` trusts (X-Forwarded-For only behind TRUSTED_PROXY_COUNT proxies), so a caller cannot
pick a fresh identity per request.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from qifu.core.ratelimit import Limit, hit
from qifu.core.request_context import client_ip

WINDOW = 60


def per_user() -> int:
    return int(settings.API_RATE_LIMIT_PER_MINUTE)


def per_anonymous_address() -> int:
    return int(settings.API_RATE_LIMIT_ANON_PER_MINUTE or max(per_user() // 5, 1))


def per_address() -> int:
    return int(settings.API_RATE_LIMIT_PER_ADDRESS_PER_MINUTE or per_user() * 5)


def api_limits(request: HttpRequest) -> list[Limit]:
    if per_user() <= 0:
        return []  # the limiter is off (API_RATE_LIMIT_PER_MINUTE=0, as `make bench` runs)
    address = client_ip(request) or "unknown"
    user: Any = getattr(request, "auth", None)
    if user is not None and getattr(user, "pk", None) is not None:
        return [
            Limit("api.user", str(user.pk), per_user(), WINDOW),
            Limit("api.address", address, per_address(), WINDOW),
        ]
    return [Limit("api.anon", address, per_anonymous_address(), WINDOW)]


class ApiThrottle(BaseThrottle):
    """django-ninja's throttle hook over the shared fixed-window counters."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = hit(*api_limits(request))
        return self._local.wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
