"""A province's day at reduced scale: `python -m qifu.bench.province [--appeals N] [--json PATH]`.

Run against the database in DATABASE_URL (PostgreSQL for the figures of docs/scaling.md, after
`seed_demo --scale N`). Files N appeals as enterprises do (the API's service), has platform staff
dispatch each, and reads what staff and enterprises read around them (list pages, the detail,
the API list) in the proportions of docs/scaling.md; measures the CPU and wall time per
operation in this process (the database's own CPU is the rest of the wall time) and the rows
each appeal writes to every table, then prints the figures extrapolated to a province's day
(10^5 appeals) and year. Creates N appeals; run it on a bench database, never on real data.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

PROVINCE_APPEALS_PER_DAY = 100_000
# Reads per appeal filed (platform staff, departments and the enterprise following it up):
# list pages, details and API lists over the appeal's life. An estimate from the demo's usage
# pattern, stated so that the extrapolation can be redone with another.
READS_PER_APPEAL = {"staff_list_page": 3, "detail_api": 4, "list_api": 2}
TABLES = (
    "appeals_appeal",
    "appeals_appealevent",
    "appeals_assignment",
    "core_auditevent",
    "notifications_notification",
    "notifications_outboxmessage",
)


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qifu.settings")
    os.environ.setdefault("API_RATE_LIMIT_PER_MINUTE", "0")
    django.setup()


def _rows() -> dict[str, int]:
    from django.apps import apps

    tables = {m._meta.db_table: m for m in apps.get_models()}
    return {table: tables[table]._default_manager.count() for table in TABLES}


Samples = dict[str, list[tuple[float, float]]]


def _timed(samples: Samples, name: str, call: Callable[[], Any]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    samples.setdefault(name, []).append(
        ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
    )
    return result


def explain_plans() -> dict[str, str]:
    """The plans of the hot list queries on this database (PostgreSQL: EXPLAIN ANALYZE)."""
    from django.db import connection
    from django.db.models import F

    from qifu.appeals.models import Appeal, Stage

    def by_due(qs: Any) -> Any:
        return qs.order_by(F("due_at").asc(nulls_last=True), "id")[:20]

    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    queries = {
        "open_by_due": by_due(Appeal.objects.exclude(stage=Stage.CLOSED)),
        "stage_tab_by_due": by_due(Appeal.objects.filter(stage=Stage.DISPATCHED)),
        "all_by_due": by_due(Appeal.objects.all()),
        "newest_first": Appeal.objects.order_by("-received_at", "-id")[:20],
    }
    return {name: str(qs.explain(**options)) for name, qs in queries.items()}


def simulate(appeals: int) -> dict[str, Any]:
    from django.test import Client

    from qifu.accounts.models import Department, User
    from qifu.appeals import services
    from qifu.appeals.models import Appeal, AppealCategory
    from qifu.bench.users import clients

    clients(min(appeals, 200), 20)  # the bench's enterprise and staff users exist
    owners = list(User.objects.filter(username__startswith="bench-qiye-").order_by("pk"))
    staff = list(User.objects.filter(username__startswith="bench-staff-").order_by("pk"))
    category = AppealCategory.objects.filter(is_active=True).order_by("pk").first()
    department = Department.objects.filter(is_active=True, code="gxj").first()
    if category is None or department is None:
        raise SystemExit("seed_demo first")
    staff_client = Client()
    staff_client.force_login(staff[0])
    from qifu.accounts.services import api_token_issue

    raw, _ = api_token_issue(user=staff[0])
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    before = _rows()
    samples: Samples = {}
    started = time.perf_counter()
    for i in range(appeals):
        appeal, _ = _timed(
            samples,
            "intake",
            partial(
                services.appeal_file,
                user=owners[i % len(owners)],
                title=f"模拟诉求{i}：用电增容进展",
                content="我公司申请的用电增容至今未有答复，请协调。",
                category=category,
                channel="api",
            ),
        )
        dispatch = partial(
            services.appeal_dispatch,
            appeal=appeal,
            user=staff[i % len(staff)],
            department=department,
            note="请办理",
        )
        _timed(samples, "dispatch", dispatch)
        if i % 10:  # reads are sampled on one appeal in ten (their medians are what counts)
            continue
        for _ in range(READS_PER_APPEAL["staff_list_page"]):
            _timed(samples, "staff_list_page", partial(staff_client.get, "/appeals/manage/"))
        for _ in range(READS_PER_APPEAL["detail_api"]):
            _timed(samples, "detail_api", partial(api_client.get, f"/api/v1/appeals/{appeal.pk}"))
        for _ in range(READS_PER_APPEAL["list_api"]):
            _timed(samples, "list_api", partial(api_client.get, "/api/v1/appeals?limit=20"))
    elapsed = time.perf_counter() - started
    after = _rows()
    written = {t: (after[t] - before[t]) / appeals for t in TABLES}
    ops = {
        name: {
            "n": len(values),
            "wall_ms_median": round(statistics.median(w for w, _ in values), 2),
            "cpu_ms_median": round(statistics.median(c for _, c in values), 2),
        }
        for name, values in samples.items()
    }
    # Application CPU per appeal over its life at the read mix above (one core-second each).
    cpu_per_appeal_ms = ops["intake"]["cpu_ms_median"] + ops["dispatch"]["cpu_ms_median"]
    for name, reads in READS_PER_APPEAL.items():
        cpu_per_appeal_ms += reads * ops.get(name, {"cpu_ms_median": 0})["cpu_ms_median"]
    day = PROVINCE_APPEALS_PER_DAY
    return {
        "database": __import__("django.db").db.connection.vendor,
        "appeals_in_database": Appeal.objects.count(),
        "simulated_appeals": appeals,
        "seconds": round(elapsed, 1),
        "operations": ops,
        "rows_written_per_appeal": {t: round(v, 2) for t, v in written.items()},
        "province_day": {
            "appeals": day,
            "app_cpu_core_hours": round(day * cpu_per_appeal_ms / 1000 / 3600, 2),
            "rows_per_table_per_year": {t: round(v * day * 365) for t, v in written.items()},
        },
        "plans": explain_plans(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m qifu.bench.province")
    parser.add_argument("--appeals", type=int, default=500)
    parser.add_argument("--json", default="")
    args = parser.parse_args(argv)
    _django()
    result = simulate(args.appeals)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
