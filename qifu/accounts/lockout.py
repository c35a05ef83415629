"""How django-axes sees a sign-in attempt (settings AXES_* and LOCKOUT_*).

Failures lock the pair of account and client address (LOCKOUT_PAIR_FAILURES, the classic 5): from
that address the right password is refused too. Someone who knows a username can therefore no
longer lock its owner out from elsewhere. Two higher ceilings still stop slow attacks: an account
with LOCKOUT_ACCOUNT_FAILURES failures from any addresses is locked everywhere (a distributed
guess at one password), and an address with LOCKOUT_ADDRESS_FAILURES failures on any accounts is
refused (password spraying: many usernames, one common password). All count within the cool-off
(AXES_COOLOFF_TIME) on the page, the admin and the API token endpoint alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from qifu.core.request_context import client_ip

# The user model's username limit; axes' table holds 255 characters and must never see more.
USERNAME_MAX = 150
ADDRESS_MESSAGE = "来自您所在网络地址的登录失败次数过多，登录已暂停30分钟，请稍后再试。"


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username tried (AXES_USERNAME_CALLABLE), cut to the longest a real one can be."""
    field = getattr(settings, "AXES_USERNAME_FORM_FIELD", "username")
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "POST", {}).get(field) if request is not None else None
    return str(value or "").strip()[:USERNAME_MAX]


def axes_client_ip(request: HttpRequest) -> str | None:
    """The address axes counts (AXES_CLIENT_IP_CALLABLE): the one every throttle trusts, so a
    forged X-Forwarded-For never gives a fresh count."""
    return client_ip(request)


def _failures(**filters: Any) -> int:
    from axes.models import AccessAttempt

    since = timezone.now() - dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    total = AccessAttempt.objects.filter(attempt_time__gte=since, **filters).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return int(total or 0)


def address_blocked(request: HttpRequest) -> bool:
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    return bool(address) and _failures(ip_address=address) >= settings.LOCKOUT_ADDRESS_FAILURES


def account_blocked(username: str) -> bool:
    return bool(username) and _failures(username=username) >= settings.LOCKOUT_ACCOUNT_FAILURES


def failure_limit(request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
    """AXES_FAILURE_LIMIT: the pair's limit, or 0 (locked at once) when the account or the address
    has reached its own ceiling."""
    if account_blocked(axes_username(request, credentials)) or address_blocked(request):
        return 0
    return int(settings.LOCKOUT_PAIR_FAILURES)
