"""The many distinct clients of `make bench`: `python -m qifu.bench.users N_ENTERPRISE N_STAFF`.

Run in a child process against the bench database after `seed_demo --scale N`. Creates (once)
enterprise administrators of the first synthetic enterprises and platform staff at 行政审批服务局,
without usable passwords (hashing a password per account would take longer than the
measurements), then prints JSON: a fresh bearer token and a signed-in session cookie for each,
and a spread of appeal ids for the detail scenario. No client shares a token, a session or a
rate-limit bucket with another.
"""

from __future__ import annotations

import json
import os
import sys


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qifu.settings")
    django.setup()


def _session_cookie(user: object) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def clients(enterprises: int, staff: int, appeals: int = 500) -> dict[str, list[str] | list[int]]:
    """Bearer tokens and session cookies of distinct users, and appeal ids spread over the table."""
    import hashlib
    import secrets
    from datetime import timedelta

    from django.db.models import Max, Min
    from django.utils import timezone

    from qifu.accounts.models import ApiToken, Department, Enterprise, Role, User
    from qifu.accounts.services import user_create
    from qifu.appeals.models import Appeal

    def user(username: str, **fields: object) -> User:
        found = User.objects.filter(username=username).first()
        return found or user_create(username=username, password=None, validate=False, **fields)  # type: ignore[arg-type]

    firms = list(Enterprise.objects.order_by("-id")[:enterprises])
    office = Department.objects.get(code="xzsp")
    admin, handler = [Role.ENTERPRISE_ADMIN], [Role.PLATFORM_STAFF]
    owners = [
        user(f"bench-qiye-{i:04d}", real_name="压测企业", enterprise=e, roles=admin)
        for i, e in enumerate(firms)
    ]
    officers = [
        user(f"bench-staff-{i:03d}", real_name="压测平台", department=office, roles=handler)
        for i in range(staff)
    ]

    def tokens(users: list[User]) -> list[str]:
        raws = [secrets.token_urlsafe(32) for _ in users]
        expires = timezone.now() + timedelta(hours=8)
        ApiToken.objects.bulk_create(
            ApiToken(user=u, token_hash=hashlib.sha256(r.encode()).hexdigest(), expires_at=expires)
            for u, r in zip(users, raws, strict=True)
        )
        return raws

    bounds = Appeal.objects.aggregate(low=Min("id"), high=Max("id"))
    low, high = bounds["low"] or 0, bounds["high"] or 0
    step = max(1, (high - low) // appeals)
    ids = list(
        Appeal.objects.filter(id__in=range(low, high + 1, step)).values_list("id", flat=True)
    )
    return {
        "enterprise_tokens": tokens(owners),
        "staff_tokens": tokens(officers),
        "staff_cookies": [_session_cookie(u) for u in officers],
        "enterprise_cookies": [_session_cookie(u) for u in owners[:staff]],
        "appeal_ids": ids,
    }


def main(argv: list[str]) -> None:
    _django()
    if argv[0] == "count":  # appeals in the database: intake checks that none were lost
        from qifu.appeals.models import Appeal

        print(Appeal.objects.count())
        return
    print(json.dumps(clients(int(argv[0]), int(argv[1]))))


if __name__ == "__main__":
    main(sys.argv[1:])
