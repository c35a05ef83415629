"""Where a hot path's time goes: `python -m qifu.bench.profile [--runs N] [--top K] [NAME …]`.

Runs each request of `make bench`'s scenarios in-process through the whole WSGI handler (every
middleware, the real URL resolver and templates) against the database in DATABASE_URL (seed it
with `seed_demo --scale N` first), and prints per path: the queries one request makes (with the
SQL of the slowest), the mean time per request, and the functions that take most of it
(cProfile, cumulative). It writes nothing but one appeal per intake run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from typing import Any


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qifu.settings")
    os.environ.setdefault("QIFU_BENCH", "1")
    django.setup()


def _client_for(kind: str, username: str) -> Any:
    from django.test import Client

    from qifu.accounts.models import User
    from qifu.accounts.services import api_token_issue

    client = Client(raise_request_exception=True)
    if kind == "session":
        client.force_login(User.objects.get(username=username))
        return client, {}
    if kind == "token":
        raw, _ = api_token_issue(user=User.objects.get(username=username))
        return client, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    return client, {}


def _paths() -> dict[str, tuple[str, str, str, str, dict[str, Any]]]:
    """name → (auth kind, username, method, path, extra); mirrors qifu/bench/scenarios.py."""
    from qifu.appeals.models import Appeal

    some = Appeal.objects.order_by("-id").values_list("pk", flat=True)[5000:5001]
    appeal_id = some[0] if some else Appeal.objects.values_list("pk", flat=True).first()
    body = '{"title": "压测诉求", "content": "用电增容申请进展咨询。", "category": "SD"}'
    return {
        "home_page": ("anon", "", "GET", "/", {}),
        "api_me": ("token", "qiye", "GET", "/api/v1/me", {}),
        "appeals_staff_list_api": ("token", "pingtai", "GET", "/api/v1/appeals?limit=20", {}),
        "appeals_staff_list_page": ("session", "pingtai", "GET", "/appeals/manage/", {}),
        "appeal_detail_api": ("token", "pingtai", "GET", f"/api/v1/appeals/{appeal_id}", {}),
        "policy_search": (
            "anon",
            "",
            "GET",
            "/api/v1/policies?q=%E9%AB%98%E6%96%B0%E6%8A%80%E6%9C%AF&limit=20",
            {},
        ),
        "appeal_intake": (
            "token",
            "qiye",
            "POST",
            "/api/v1/appeals",
            {"data": body, "content_type": "application/json"},
        ),
    }


def profile(
    name: str, spec: tuple[str, str, str, str, dict[str, Any]], runs: int, top: int, sort: str
) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kind, username, method, path, extra = spec
    client, headers = _client_for(kind, username)
    call = client.get if method == "GET" else client.post
    response = call(path, **extra, **headers)  # warm: URL resolver, templates, ORM caches
    with CaptureQueriesContext(connection) as queries:
        response = call(path, **extra, **headers)
    captured = list(queries.captured_queries)  # read now: later requests may reset the log
    # CPU time of this process: on a machine shared with other work, wall time mostly measures
    # the others.
    started = time.process_time()
    for _ in range(runs):
        call(path, **extra, **headers)
    plain = (time.process_time() - started) / runs * 1000
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(runs):
        call(path, **extra, **headers)
    profiler.disable()
    per_request = (time.perf_counter() - started) / runs * 1000
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(sort).print_stats(top)
    slowest = sorted(captured, key=lambda q: -float(q["time"]))[:3]
    lines = [
        f"== {name}: {method} {path} → HTTP {response.status_code}, "
        f"{len(response.content)} bytes, {len(captured)} queries, "
        f"{plain:.2f} ms CPU/request ({per_request:.2f} wall under cProfile)",
        *(f"   {q['time']}s  {q['sql'][:300]}" for q in slowest),
        out.getvalue(),
    ]
    return "\n".join(lines)


def floor_cpu_ms(runs: int = 2000) -> float:
    """CPU per request of the floor (qifu/bench/wsgi.py), through the same WSGI entry."""
    from django.test import RequestFactory

    from qifu.bench import FLOOR_PATH
    from qifu.bench.wsgi import application

    environ = RequestFactory().get(FLOOR_PATH).environ
    started = time.process_time()
    for _ in range(runs):
        b"".join(application(dict(environ), lambda status, headers: None))
    return (time.process_time() - started) / runs * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m qifu.bench.profile")
    parser.add_argument("names", nargs="*")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cumulative or tottime")
    args = parser.parse_args(argv)
    _setup()
    print(f"== floor: {floor_cpu_ms():.3f} ms CPU/request", flush=True)
    paths = _paths()
    for name in args.names or list(paths):
        print(profile(name, paths[name], args.runs, args.top, args.sort), flush=True)


if __name__ == "__main__":
    main()
