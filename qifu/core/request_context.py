"""The current request's actor and address, for audit rows written deep inside services."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestInfo:
    ip_address: str | None
    user_agent: str


_current: ContextVar[RequestInfo | None] = ContextVar("qifu_request_info", default=None)


def client_ip(request: HttpRequest) -> str | None:
    """The client address, trusting X-Forwarded-For only behind the configured proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def set_current(request: HttpRequest) -> object:
    info = RequestInfo(client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:300])
    return _current.set(info)


def reset_current(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]


def current() -> RequestInfo | None:
    return _current.get()
