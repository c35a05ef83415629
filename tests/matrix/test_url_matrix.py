"""Every named URL of the site requested by every role, compared with the table below (the
pattern of pretix's control permission tests).

Each URL is built from its route: a path parameter naming an object of the world
(tests/matrix/world.py) is filled twice, with the object of enterprise A / department X (row
`@A`) and that of enterprise B / department Y (row `@B`); a parameter naming nothing in the world
is filled with a value that exists nowhere (row `@0`: the page must still answer, never 5xx).
Requests are GETs: an action's URL answers 405 (or refuses first); the actions themselves are
tested in each app and in tests/properties.

A URL missing from the table fails the test (a new page must be added with its expectations);
any 5xx fails; any 403 (and any 404) page must be the Chinese error page. To print the table as
it is now (to review and paste): QIFU_MATRIX_RECORD=1 pytest tests/matrix -s.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.matrix.world import World, build

# The columns of the table, in order.
ROLES = [
    ("anonymous", "an"),
    ("enterprise_a_admin", "ea"),
    ("enterprise_a_member", "em"),
    ("enterprise_b", "eb"),
    ("platform_staff", "ps"),
    ("department_x_admin", "dx"),
    ("department_x_handler", "dh"),
    ("department_y_admin", "dy"),
    ("commissioner", "co"),
    ("steward", "st"),
    ("investment_staff", "iv"),
    ("reviewer", "rv"),
    ("leader", "ld"),
    ("superuser", "su"),
    ("provider", "pv"),
]
# What a cell means.
CODES = {
    200: ".",  # the page opens
    "login": "L",  # redirect to the login page
    "redirect": "R",  # redirect elsewhere (e.g. the enterprise space, a form's next step)
    400: "B",
    401: "U",  # the API without credentials
    403: "F",
    404: "N",
    405: "M",  # an action's URL opened with GET
    409: "C",
}

# The object each route's first parameter names, by the route's beginning.
KINDS = [
    ("api/v1/appeals/", "appeal"),
    ("appeals/", "appeal"),
    ("api/v1/matters/applications/", "matter_application"),
    ("matters/applications/", "matter_application"),
    ("api/v1/declarations/applications/", "declaration"),
    ("declarations/applications/", "declaration"),
    ("api/v1/declarations/calls/", "call"),
    ("declarations/calls/", "call"),
    ("declarations/manage/", "call"),
    ("content/news/", "notice"),
    ("content/manage/", "notice"),
    ("api/v1/workspace/requests/", "service_request"),
    ("workspace/requests/", "service_request"),
    ("workspace/served/", "enterprise"),
    ("workspace/enterprises/", "enterprise"),
    ("api/v1/projects/", "project"),
    ("projects/", "project"),
    ("api/v1/investment/projects/", "lead"),
    ("investment/projects/", "lead"),
    ("api/v1/matters/", "matter"),
    ("matters/", "matter"),
]
# Values of the parameters that are not an object of the world.
VALUES = {"action": "accept", "fmt": "json"}
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def admin_row(route: str) -> bool:
    """Django's admin is checked by its index and its lists: its add, change, history and
    delete pages follow the same rule (the superuser only), model by model, in Django itself."""
    return not route.startswith("admin/") or ("<" not in route and not route.endswith("/add/"))


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Every named route of the site, as the path it matches."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routes(entry, route)
        elif isinstance(entry, URLPattern) and entry.name and admin_row(route):
            yield route.replace("^", "").replace("$", "").replace("\\.", ".")


def fill(route: str, world: World, side: str) -> str | None:
    """The URL of the route for side A or B (None when the route names no such object), or
    with values that exist nowhere for side 0."""
    kind = next((k for p, k in KINDS if route.startswith(p) and route[len(p)] == "<"), None)

    def value(match: re.Match[str]) -> str:
        name = match.group("name") or match.group("rname")
        first = match.start() == route.index("<")
        if side != "0" and first and kind:
            obj = world.get(kind, side)
            if kind == "enterprise" and name == "credit_code":
                return str(obj.credit_code)
            if kind == "matter":
                return str(obj.code)
            return str(obj.pk)
        if side != "0" and name in ("item_pk", "item_id") and kind == "project":
            return str(world.get("project_item", side).pk)
        if name in VALUES:
            return VALUES[name]
        return "999999" if match.group("conv") in ("int", None, "path") else "none"

    if side != "0" and (kind is None or world.objects[kind][side] is None):
        return None
    if side == "0" and kind is not None:
        return None
    return "/" + PARAM.sub(value, route)


def rows(world: World) -> Iterator[tuple[str, str]]:
    """(row of the table, URL to request)."""
    for route in routes():
        if "<" not in route and "(?P" not in route:
            yield route or "/", "/" + route
            continue
        for side in ("A", "B", "0"):
            url = fill(route, world, side)
            if url is not None:
                yield f"{route} @{side}", url


def code(response: Any) -> str:
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers.get("Location", "")
        login = "/accounts/login/" in location or "/admin/login/" in location
        return CODES["login" if login else "redirect"]
    return CODES.get(status, str(status))


CJK = re.compile(r"[\u4e00-\u9fff]")
# The error page's title for 403, or its reason for an expired form (qifu/portal/errors.py).
FORBIDDEN_PAGE = ("无权访问", "表单已失效")
ENGLISH = re.compile(r"\b(Forbidden|Permission denied|Access denied|Not Found|CSRF)\b")


def check_error_page(row: str, role: str, response: Any, problems: list[str]) -> None:
    """A refusal in the site's Chinese error page (JSON with a Chinese reason in the API)."""
    if response.status_code not in (403, 404):
        return
    body = response.content.decode("utf-8", "replace")
    if response.headers.get("Content-Type", "").startswith("application/json"):
        # The API explains in Chinese; Open311 (GeoReport v2) keeps its standard's messages.
        reason = str(response.json().get("detail", "")) if row.startswith("api/") else "中"
        if not CJK.search(reason):
            problems.append(f"{row} as {role}: {response.status_code} without a Chinese reason")
        return
    if response.status_code == 403 and not any(t in body for t in FORBIDDEN_PAGE):
        problems.append(f"{row} as {role}: 403 is not the Chinese error page")
    if 'lang="zh' not in body or not CJK.search(body):
        problems.append(f"{row} as {role}: {response.status_code} is not a Chinese page")
    if ENGLISH.search(body):
        problems.append(f"{row} as {role}: English on the {response.status_code} page")


def parse(table: str) -> dict[str, str]:
    expected = {}
    for line in table.strip().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, cells = line.rsplit(None, 1)
            expected[key.strip()] = cells
    return expected


@pytest.fixture
def world(
    department: Any,
    other_department: Any,
    enterprise: Any,
    other_enterprise: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    platform_staff: Any,
    department_admin: Any,
    other_department_admin: Any,
    commissioner: Any,
    steward: Any,
    investment_admin: Any,
    reviewer: Any,
    officer: Any,
    leader: Any,
    superuser: Any,
    agency: Any,
    bank_user: Any,
) -> World:
    return build(dict(locals()))


@pytest.fixture
def quiet(settings: Any) -> Iterator[None]:
    """Thousands of requests: no rate limit in the way (the limits are tested in qifu/api and
    qifu/integrations), and none of django.request's warnings (with their tracebacks) for the
    refusals."""
    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def test_every_url_answers_every_role_as_the_table_says(world: World, quiet: None) -> None:
    clients = {}
    for role, _ in ROLES:
        client = Client(raise_request_exception=False)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        clients[role] = client
    expected = parse(EXPECTED)
    actual: dict[str, str] = {}
    problems: list[str] = []
    for row, url in rows(world):
        cells = ""
        for role, _ in ROLES:
            response = clients[role].get(url)
            if response.status_code >= 500:
                problems.append(f"{row} as {role}: {response.status_code} at {url}")
            check_error_page(row, role, response, problems)
            cells += code(response)
        actual[row] = cells
    if os.environ.get("QIFU_MATRIX_RECORD"):
        width = max(len(k) for k in actual) + 2
        print("\n#" + " " * (width - 1) + "".join(a[0] for _, a in ROLES))
        print("#" + " " * (width - 1) + "".join(a[1] for _, a in ROLES))
        for row, cells in actual.items():
            print(f"{row:<{width}}{cells}")
    missing = sorted(set(actual) - set(expected))
    gone = sorted(set(expected) - set(actual) - set(CONFIGURATION_DEPENDENT))
    differ = [
        f"{row}: expected {expected[row]}, got {cells}"
        for row, cells in actual.items()
        if row in expected and expected[row] != cells
    ]
    report = problems + differ
    if missing:
        report += ["URLs not in the table (add them with their expectations):", *missing]
    if gone:
        report += ["rows of the table that are no URL any more:", *gone]
    assert not report, "\n".join(report)


# Rows that exist in one configuration only.
CONFIGURATION_DEPENDENT = {
    # django-q's database broker: its queue's admin is there only without REDIS_URL.
    "admin/django_q/ormq/": "the queue uses the database",
}

# The expected table, one row per URL and one column per role, with its legend at the top:
# tests/matrix/expected.txt (print the table as it is now with QIFU_MATRIX_RECORD=1).
EXPECTED = (Path(__file__).parent / "expected.txt").read_text(encoding="utf-8")
