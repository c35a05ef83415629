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
) -> World:
    return build(dict(locals()))


@pytest.fixture
def quiet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Thousands of requests: no API rate limit (tested in qifu/api), and none of
    django.request's warnings (with their tracebacks) for the refusals."""
    from ninja.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request: True)
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

# Columns: an anonymous · ea enterprise A admin · em enterprise A member · eb enterprise B ·
# ps platform staff · dx department X admin · dh department X handler · dy department Y admin ·
# co commissioner · st steward · iv 商务局 investment staff · rv reviewer (商务局 liaison) ·
# ld leader (督查) · su superuser.
# Cells: . opens · L login · R redirect elsewhere · F 403 · N 404 · M 405 (GET on an action) ·
# B 400 · U 401 · C 409.
EXPECTED = r"""
#                                                                        aeeepdddcsirls
#                                                                        nambsxhyotvvdu
/                                                                        ..............
workbench/                                                               L.............
section/<slug:code>/ @0                                                  NNNNNNNNNNNNNN
search/                                                                  ..............
progress/                                                                ..............
contact/                                                                 ..............
evaluation/                                                              ..............
elder/                                                                   MMMMMMMMMMMMMM
accounts/login/                                                          .RRRRRRRRRRRRR
accounts/logout/                                                         MMMMMMMMMMMMMM
accounts/register/                                                       .RRRRRRRRRRRRR
accounts/code/                                                           MMMMMMMMMMMMMM
accounts/password/reset/                                                 ..............
accounts/password/reset/confirm/                                         ..............
accounts/password/change/                                                L.............
accounts/profile/                                                        L.............
accounts/otp/setup/                                                      L.............
accounts/otp/verify/                                                     LRRRRRRRRRRRRR
accounts/coverage/                                                       LFFF.FFFFFFF..
audit/                                                                   LFFFFFFFFFFFF.
notifications/                                                           L.............
notifications/<int:pk>/open/ @0                                          LMMMMMMMMMMMMM
notifications/read-all/                                                  LMMMMMMMMMMMMM
workdays/                                                                LFFF..........
content/news/                                                            ..............
content/news/<int:pk>/ @A                                                ..............
content/news/<int:pk>/ @B                                                NNNNNNNNNNNNNN
content/manage/                                                          LFFF..........
content/manage/new/                                                      LFFF.........F
content/manage/<int:pk>/ @A                                              LFFF...NNNNNN.
content/manage/<int:pk>/ @B                                              LFFFNNN.NNNNN.
content/manage/<int:pk>/<str:action>/ @A                                 LFFFMMMMMMMMMM
content/manage/<int:pk>/<str:action>/ @B                                 LFFFMMMMMMMMMM
content/review/                                                          LFFF..FFFF..F.
content/postings/                                                        ..............
content/postings/mine/                                                   L...FFFFFFFFFF
content/postings/mine/new/<str:kind>/ @0                                 LNNNFFFFFFFFFF
content/postings/review/                                                 LFFF..FFFF..F.
content/postings/<str:kind>/<int:pk>/ @0                                 NNNNNNNNNNNNNN
content/postings/<str:kind>/<int:pk>/manage/ @0                          LNNNNNNNNNNNNN
content/postings/<str:kind>/<int:pk>/manage/<str:action>/ @0             LMMMMMMMMMMMMM
appeals/                                                                 L...RRRRRRRRRR
appeals/new/                                                             L...RRRRRRRRRR
appeals/manage/                                                          LFFF.RRRRRRR..
appeals/inbox/                                                           LFFFR.......RR
appeals/record/                                                          LFFF.FFFFFFFF.
appeals/record/enterprises/                                              LFFF.FFFFFFFF.
appeals/attachments/<int:pk>/ @0                                         LNNNNNNNNNNNNN
appeals/<int:pk>/ @A                                                     L..N...NNNNN..
appeals/<int:pk>/ @B                                                     LNN..NN.NNNN..
appeals/<int:pk>/<slug:action>/ @A                                       LMMMMMMMMMMMMM
appeals/<int:pk>/<slug:action>/ @B                                       LMMMMMMMMMMMMM
declarations/                                                            ..............
declarations/calls/<int:pk>/ @A                                          ..............
declarations/calls/<int:pk>/ @B                                          ..............
declarations/calls/<int:pk>/apply/ @A                                    LRR.FFFFFFFFFF
declarations/calls/<int:pk>/apply/ @B                                    LRR.FFFFFFFFFF
declarations/mine/                                                       L...FFFFFFFFFF
declarations/applications/<int:pk>/ @A                                   L..NN..NNNNNN.
declarations/applications/<int:pk>/ @B                                   LNN.NNNNNNNNN.
declarations/applications/<int:pk>/submit/ @A                            LMMMFFFFFFFFFF
declarations/applications/<int:pk>/submit/ @B                            LMMMFFFFFFFFFF
declarations/applications/<int:pk>/<str:action>/ @A                      LFFFMMMMMMMMMM
declarations/applications/<int:pk>/<str:action>/ @B                      LFFFMMMMMMMMMM
declarations/publicity/                                                  ..............
declarations/publicity/<int:pk>/object/ @0                               LMMMMMMMMMMMMM
declarations/objections/<int:pk>/answer/ @0                              LFFFMMMMMMMMMM
declarations/manage/                                                     LFFF..........
declarations/manage/new/                                                 LFFF.........F
declarations/manage/<int:pk>/ @A                                         LFFFN..NNNNNN.
declarations/manage/<int:pk>/ @B                                         LFFFN..NNNNNN.
declarations/manage/<int:pk>/publication/<str:action>/ @A                LFFFMMMMMMMMMM
declarations/manage/<int:pk>/publication/<str:action>/ @B                LFFFMMMMMMMMMM
declarations/manage/<int:pk>/applications/ @A                            LFFFN..NNNNNN.
declarations/manage/<int:pk>/applications/ @B                            LFFFN..NNNNNN.
declarations/manage/<int:pk>/publish-results/ @A                         LFFFMMMMMMMMMM
declarations/manage/<int:pk>/publish-results/ @B                         LFFFMMMMMMMMMM
reports/reply-rates/                                                     LFFF.FFFFFFF..
matters/                                                                 ..............
matters/mine/                                                            L...RRRRRRRRRR
matters/inbox/                                                           LFFF..........
matters/applications/<int:pk>/ @A                                        L..N...NNNNN..
matters/applications/<int:pk>/ @B                                        LNN..NN.NNNN..
matters/applications/<int:pk>/<slug:action>/ @A                          LMMMMMMMMMMMMM
matters/applications/<int:pk>/<slug:action>/ @B                          LMMMMMMMMMMMMM
matters/materials/<int:pk>/ @0                                           LNNNNNNNNNNNNN
matters/<slug:code>/ @A                                                  ..............
matters/<slug:code>/ @B                                                  ..............
matters/<slug:code>/apply/ @A                                            L...FFFFFFFFFF
matters/<slug:code>/apply/ @B                                            L...FFFFFFFFFF
connectors/                                                              LFFFFFFFFFFFF.
connectors/issued/                                                       LFFFFFFFFFFFFR
connectors/mine/                                                         L...FFFFFFFFFF
connectors/<slug:code>/rotate/ @0                                        LFFFFFFFFFFFFM
connectors/<slug:code>/toggle/ @0                                        LFFFFFFFFFFFFM
connectors/<slug:code>/enter/ @0                                         LNNNFFFFFFFFFF
connectors/<slug:code>/webhook @0                                        MMMMMMMMMMMMMM
policies/                                                                ..............
policies/new/                                                            ..............
policies/calculator/                                                     ..............
policies/matches/                                                        L...RRRRRRRRRR
policies/subscriptions/                                                  L.............
policies/subscriptions/add/                                              LMMMMMMMMMMMMM
policies/subscriptions/<int:pk>/remove/ @0                               LMMMMMMMMMMMMM
policies/mutes/add/                                                      LMMMMMMMMMMMMM
policies/mutes/<int:pk>/remove/ @0                                       LMMMMMMMMMMMMM
policies/manage/                                                         LFFF..........
policies/manage/new/                                                     LFFF.........F
policies/manage/<int:pk>/ @0                                             LFFFNNNNNNNNNN
policies/manage/<int:pk>/auto-grant/ @0                                  LFFFNNNNNNNNNN
policies/manage/<int:pk>/attachments/ @0                                 LFFFMMMMMMMMMM
policies/manage/attachments/<int:pk>/remove/ @0                          LFFFMMMMMMMMMM
policies/manage/<int:pk>/<str:action>/ @0                                LFFFMMMMMMMMMM
policies/review/                                                         LFFF..FFFF..F.
policies/p/<str:code>/ @0                                                NNNNNNNNNNNNNN
policies/interpretations/                                                ..............
policies/interpretations/<int:pk>/ @0                                    NNNNNNNNNNNNNN
policies/interpretations/<int:pk>/image/ @0                              NNNNNNNNNNNNNN
policies/topics/                                                         ..............
policies/topics/<int:pk>/ @0                                             NNNNNNNNNNNNNN
policies/topics/<int:pk>/cover/ @0                                       NNNNNNNNNNNNNN
policies/lectures/                                                       ..............
policies/lectures/<int:pk>/ @0                                           NNNNNNNNNNNNNN
policies/lectures/<int:pk>/register/ @0                                  LMMMMMMMMMMMMM
policies/lectures/<int:pk>/cancel/ @0                                    LMMMMMMMMMMMMM
policies/manage/extra/<str:kind>/ @0                                     LFFFNNNNNNNNNN
policies/manage/extra/<str:kind>/new/ @0                                 LFFFNNNNNNNNNN
policies/manage/extra/<str:kind>/<int:pk>/ @0                            LFFFNNNNNNNNNN
policies/manage/extra/<str:kind>/<int:pk>/<str:action>/ @0               LFFFMMMMMMMMMM
policies/manage/lectures/<int:pk>/export/ @0                             LFFFNNNNNNNNNN
policies/files/<int:pk>/ @0                                              NNNNNNNNNNNNNN
assistant/                                                               ..............
assistant/vote/<int:log_id>/ @0                                          MMMMMMMMMMMMMM
assistant/choose/<int:log_id>/ @0                                        MMMMMMMMMMMMMM
assistant/handoff/<int:log_id>/ @0                                       MMMMMMMMMMMMMM
assistant/consultations/                                                 L....FFFFFFFF.
assistant/consultations/<int:pk>/ @0                                     LNNNNNNNNNNNNN
assistant/consultations/<int:pk>/messages/ @0                            LNNNNNNNNNNNNN
assistant/consultations/<int:pk>/close/ @0                               LMMMMMMMMMMMMM
assistant/faq/                                                           LFFF.FFFFFFFF.
assistant/faq/new/                                                       LFFF.FFFFFFFF.
assistant/faq/<int:pk>/approve/ @0                                       LMMMMMMMMMMMMM
assistant/proposals/<int:pk>/ @0                                         LMMMMMMMMMMMMM
workspace/                                                               L...RFFFRRFFFR
workspace/timeline/                                                      L...RRRRRRRRRR
workspace/enterprises/<str:credit_code>/ @A                              LRRN.NNN..NNN.
workspace/enterprises/<str:credit_code>/ @B                              LNNR.NNNNNNNN.
workspace/enterprises/<str:credit_code>/timeline/ @A                     L..N.NNN..NNN.
workspace/enterprises/<str:credit_code>/timeline/ @B                     LNN..NNNNNNNN.
workspace/profile/                                                       L...NNNNNNNNNN
workspace/profile/edit/                                                  L.F.NNNNNNNNNN
workspace/profile/verify/                                                LRFRNNNNNNNNNN
workspace/members/                                                       L...NNNNNNNNNN
workspace/members/invite/                                                LMMMMMMMMMMMMM
workspace/members/<int:member_id>/role/ @0                               LMMMMMMMMMMMMM
workspace/members/<int:member_id>/remove/ @0                             LMMMMMMMMMMMMM
workspace/members/invitations/<int:invitation_id>/resend/ @0             LMMMMMMMMMMMMM
workspace/members/invitations/<int:invitation_id>/revoke/ @0             LMMMMMMMMMMMMM
workspace/join/<str:token>/ @0                                           NNNNNNNNNNNNNN
workspace/join/<str:token>/code/ @0                                      MMMMMMMMMMMMMM
workspace/licences/                                                      L...NNNNNNNNNN
workspace/licences/<int:pk>/ @0                                          LNNNNNNNNNNNNN
workspace/licences/import/                                               LFFF.FFFFFFFF.
workspace/annual-reports/                                                LFFF..........
workspace/annual-reports/export/                                         LFFF..........
workspace/annual-reports/mark/                                           LMMMMMMMMMMMMM
workspace/annual-reports/undo/                                           LMMMMMMMMMMMMM
workspace/commissioner/                                                  L...RFFFRFFFFR
workspace/requests/new/                                                  L...FFFFFFFFFF
workspace/requests/<int:pk>/ @A                                          L..N.NNN..NNN.
workspace/requests/<int:pk>/ @B                                          LNN..NNNNNNNN.
workspace/requests/<int:pk>/<slug:action>/ @A                            LMMMMMMMMMMMMM
workspace/requests/<int:pk>/<slug:action>/ @B                            LMMMMMMMMMMMMM
workspace/request-files/<int:pk>/ @0                                     LNNNNNNNNNNNNN
workspace/inbox/                                                         LFFF.FFF.FFFF.
workspace/inbox/export/                                                  LFFF.FFF.FFFF.
workspace/served/                                                        LFFFRFFF..FFFR
workspace/served/<int:pk>/ @A                                            LNNNNNNN..NNNN
workspace/served/<int:pk>/ @B                                            LNNNNNNNNNNNNN
workspace/served/<int:pk>/contact/ @A                                    LNNNNNNN..NNNN
workspace/served/<int:pk>/contact/ @B                                    LNNNNNNNNNNNNN
workspace/coverage/                                                      LFFF.FFFFFFFF.
workspace/coverage/auto/                                                 LMMMMMMMMMMMMM
workspace/coverage/assign/                                               LMMMMMMMMMMMMM
workspace/coverage/handover/                                             LMMMMMMMMMMMMM
workspace/coverage/rules/                                                LMMMMMMMMMMMMM
workspace/coverage/rules/<int:pk>/toggle/ @0                             LMMMMMMMMMMMMM
projects/                                                                L.............
projects/new/                                                            LFFF.FFFF.FFF.
projects/department/                                                     LFFF.........F
projects/enterprises/                                                    LFFF.FFFF.FFF.
projects/<int:pk>/ @A                                                    L..N.NN.N.NNN.
projects/<int:pk>/ @B                                                    LNN..NN.NNNNN.
projects/<int:pk>/items/<int:item_pk>/ @A                                LFFN.NNFN.NNN.
projects/<int:pk>/items/<int:item_pk>/ @B                                LNNF.NNFNNNNN.
projects/<int:pk>/items/<int:item_pk>/<slug:action>/ @A                  LMMMMMMMMMMMMM
projects/<int:pk>/items/<int:item_pk>/<slug:action>/ @B                  LMMMMMMMMMMMMM
projects/<int:pk>/note/ @A                                               LMMMMMMMMMMMMM
projects/<int:pk>/note/ @B                                               LMMMMMMMMMMMMM
projects/<int:pk>/upload/ @A                                             LMMMMMMMMMMMMM
projects/<int:pk>/upload/ @B                                             LMMMMMMMMMMMMM
projects/<int:pk>/steward/ @A                                            LMMMMMMMMMMMMM
projects/<int:pk>/steward/ @B                                            LMMMMMMMMMMMMM
projects/<int:pk>/documents/<int:document_pk>/ @A                        LNNNNNNNNNNNNN
projects/<int:pk>/documents/<int:document_pk>/ @B                        LNNNNNNNNNNNNN
investment/library/                                                      LFFF..........
investment/library/review/                                               LFFF..........
investment/library/import/<slug:kind>/ @0                                LFFFNNNNNNNNNN
investment/library/chains/<int:pk>/links/ @0                             LFFFNNNNNNNNNN
investment/library/chains/<int:pk>/links/<int:link_pk>/delete/ @0        LFFFMMMMMMMMMM
investment/library/chains/<int:pk>/links/<int:link_pk>/placement/ @0     LFFFMMMMMMMMMM
investment/library/<slug:kind>/ @0                                       LFFFNNNNNNNNNN
investment/library/<slug:kind>/new/ @0                                   LFFFNNNNNNNNNN
investment/library/<slug:kind>/<int:pk>/ @0                              LFFFNNNNNNNNNN
investment/library/<slug:kind>/<int:pk>/files/ @0                        LFFFMMMMMMMMMM
investment/library/<slug:kind>/<int:pk>/files/<int:file_pk>/ @0          LFFFNNNNNNNNNN
investment/library/<slug:kind>/<int:pk>/files/<int:file_pk>/delete/ @0   LFFFMMMMMMMMMM
investment/library/<slug:kind>/<int:pk>/<str:action>/ @0                 LFFFMMMMMMMMMM
investment/projects/                                                     LFFFFFFFFF....
investment/projects/new/                                                 LFFFFFFFFF..F.
investment/projects/<int:pk>/ @A                                         LFFFFFFFFF....
investment/projects/<int:pk>/edit/ @A                                    LFFFFFFFFFMMMM
investment/projects/<int:pk>/advance/ @A                                 LFFFFFFFFFMMMM
investment/projects/<int:pk>/terminate/ @A                               LFFFFFFFFFMMMM
investment/projects/<int:pk>/reopen/ @A                                  LFFFFFFFFFMMMM
investment/projects/<int:pk>/contact/ @A                                 LFFFFFFFFFMMMM
investment/projects/<int:pk>/assign/ @A                                  LFFFFFFFFFMMMM
investment/projects/<int:pk>/plan/ @A                                    LFFFFFFFFFMMMM
investment/projects/<int:pk>/members/ @A                                 LFFFFFFFFFMMMM
investment/projects/<int:pk>/documents/ @A                               LFFFFFFFFFMMMM
investment/projects/<int:pk>/documents/<int:document_pk>/ @A             LFFFFFFFFFNNNN
investment/projects/<int:pk>/tasks/ @A                                   LFFFFFFFFFMMMM
investment/tasks/                                                        LFFFFFFFFF..F.
investment/tasks/<int:task_pk>/done/ @0                                  LFFFFFFFFFMMFM
investment/visits/                                                       LFFFFFFFFF....
investment/visits/new/                                                   LFFFFFFFFF..F.
investment/visits/<int:pk>/ @0                                           LFFFFFFFFFNNNN
investment/visits/<int:pk>/edit/ @0                                      LFFFFFFFFFNNFN
investment/analysis/                                                     LFFFFFFFFF....
investment/analysis/key-enterprises/new/                                 LFFFFFFFFF..F.
investment/analysis/key-enterprises/<int:pk>/ @0                         LFFFFFFFFFNNFN
investment/analysis/key-enterprises/<int:pk>/lead/ @0                    LFFFFFFFFFMMFM
investment/analysis/gaps/                                                LFFFFFFFFF....
investment/decision/                                                     LFFFFFFFFF....
investment/decision/map/                                                 LFFFFFFFFF....
investment/decision/national/                                            LFFFFFFFFF....
investment/decision/indicators/                                          LFFFFFFFFF....
investment/services/                                                     LFFFFFFFFF..F.
investment/services/materials/<int:pk>/ @0                               LFFFFFFFFFNNFN
integrations/keys/                                                       LFFFFFFFFFFFF.
integrations/keys/issued/                                                LFFFFFFFFFFFFR
integrations/keys/<int:pk>/revoke/ @0                                    LFFFFFFFFFFFFM
messages/                                                                ..............
messages/mine/                                                           L.............
messages/lookup/                                                         ..............
messages/<int:pk>/ @0                                                    LNNNNNNNNNNNNN
messages/manage/                                                         LFFF.FFFFFFFF.
messages/manage/<int:pk>/ @0                                             LFFFNFFFFFFFFN
messages/manage/<int:pk>/answer/ @0                                      LFFFMFFFFFFFFM
messages/manage/<int:pk>/convert/ @0                                     LFFFNFFFFFFFFN
open311/v2/services.(?P<fmt>json|xml) @0                                 ..............
open311/v2/services/(?P<service_code>[\w-]+).(?P<fmt>json|xml) @0        NNNNNNNNNNNNNN
open311/v2/requests.(?P<fmt>json|xml) @0                                 ..............
open311/v2/requests/(?P<service_request_id>[\w-]+).(?P<fmt>json|xml) @0  NNNNNNNNNNNNNN
api/v1/openapi.json                                                      ..............
api/v1/docs                                                              ..............
api/v1/auth/token                                                        MMMMMMMMMMMMMM
api/v1/me                                                                U.............
api/v1/departments                                                       U.............
api/v1/calendar/deadline                                                 BBBBBBBBBBBBBB
api/v1/notifications                                                     U.............
api/v1/notifications/read-all                                            MMMMMMMMMMMMMM
api/v1/notifications/<int:notification_id>/read @0                       MMMMMMMMMMMMMM
api/v1/appeals/categories                                                ..............
api/v1/appeals                                                           U.............
api/v1/appeals/<appeal_id> @A                                            U..N...NNNNN..
api/v1/appeals/<appeal_id> @B                                            UNN..NN.NNNN..
api/v1/appeals/<appeal_id>/triage @A                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/triage @B                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/link @A                                       MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/link @B                                       MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/dispatch @A                                   MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/dispatch @B                                   MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/accept @A                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/accept @B                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/contact @A                                    MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/contact @B                                    MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/return @A                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/return @B                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extend @A                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extend @B                                     MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extensions/<extension_id>/decide @A           MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extensions/<extension_id>/decide @B           MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/respond @A                                    MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/respond @B                                    MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/followup @A                                   MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/followup @B                                   MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/evaluate @A                                   MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/evaluate @B                                   MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/supervise @A                                  MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/supervise @B                                  MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/close @A                                      MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/close @B                                      MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/merge @A                                      MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/merge @B                                      MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/note @A                                       MMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/note @B                                       MMMMMMMMMMMMMM
api/v1/declarations/calls                                                ..............
api/v1/declarations/calls/<call_id> @A                                   ..............
api/v1/declarations/calls/<call_id> @B                                   ..............
api/v1/declarations/calls/<call_id>/eligibility @A                       U...FFFFFFFFFF
api/v1/declarations/calls/<call_id>/eligibility @B                       U...FFFFFFFFFF
api/v1/declarations/calls/<call_id>/publish-results @A                   MMMMMMMMMMMMMM
api/v1/declarations/calls/<call_id>/publish-results @B                   MMMMMMMMMMMMMM
api/v1/declarations/applications                                         U.............
api/v1/declarations/applications/<application_id> @A                     U..NN..NNNNNN.
api/v1/declarations/applications/<application_id> @B                     UNN.NNNNNNNNN.
api/v1/declarations/applications/<application_id>/files @A               MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/files @B               MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/submit @A              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/submit @B              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/accept @A              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/accept @B              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/return @A              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/return @B              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/reject @A              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/reject @B              MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/approve @A             MMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/approve @B             MMMMMMMMMMMMMM
api/v1/declarations/publicity                                            ..............
api/v1/declarations/publicity/<application_id>/objections @0             MMMMMMMMMMMMMM
api/v1/declarations/objections/<objection_id>/answer @0                  MMMMMMMMMMMMMM
api/v1/policies                                                          ..............
api/v1/policies/matches                                                  UBBBBBBBBBBBBB
api/v1/policies/near-misses                                              UBBBBBBBBBBBBB
api/v1/policies/<code> @0                                                NNNNNNNNNNNNNN
api/v1/matters                                                           ..............
api/v1/matters/applications                                              MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/materials @A                MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/materials @B                MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id> @A                          U..N...NNNNN..
api/v1/matters/applications/<application_id> @B                          UNN..NN.NNNN..
api/v1/matters/applications/<application_id>/submit @A                   MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/submit @B                   MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/accept @A                   MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/accept @B                   MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/supplement @A               MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/supplement @B               MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/approve @A                  MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/approve @B                  MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/refuse @A                   MMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/refuse @B                   MMMMMMMMMMMMMM
api/v1/matters/<code> @A                                                 ..............
api/v1/matters/<code> @B                                                 ..............
api/v1/assistant/ask                                                     MMMMMMMMMMMMMM
api/v1/workspace                                                         U...NNNNNNNNNN
api/v1/workspace/timeline                                                U...NNNNNNNNNN
api/v1/workspace/licences                                                U...BBBBBBBBBB
api/v1/workspace/licences/annual-report                                  U...BBBBBBBBBB
api/v1/workspace/licences/<licence_id> @0                                UNNNNNNNNNNNNN
api/v1/workspace/members                                                 U...NNNNNNNNNN
api/v1/workspace/members/invitations/<invitation_id>/resend @0           MMMMMMMMMMMMMM
api/v1/workspace/members/invitations/<invitation_id> @0                  MMMMMMMMMMMMMM
api/v1/workspace/members/<member_id>/role @0                             MMMMMMMMMMMMMM
api/v1/workspace/members/<member_id> @0                                  MMMMMMMMMMMMMM
api/v1/workspace/profile                                                 U...NNNNNNNNNN
api/v1/workspace/profile/verification                                    MMMMMMMMMMMMMM
api/v1/workspace/requests                                                U....FFF.FFFF.
api/v1/workspace/requests/<request_id> @A                                U..N.NNN..NNN.
api/v1/workspace/requests/<request_id> @B                                UNN..NNNNNNNN.
api/v1/workspace/requests/<request_id>/accept @A                         MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/accept @B                         MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/ask_info @A                       MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/ask_info @B                       MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/supply_info @A                    MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/supply_info @B                    MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/complete @A                       MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/complete @B                       MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/withdraw @A                       MMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/withdraw @B                       MMMMMMMMMMMMMM
api/v1/projects                                                          U.............
api/v1/projects/department-items                                         UFFF.........F
api/v1/projects/<project_id> @A                                          U..N.NN.N.NNN.
api/v1/projects/<project_id> @B                                          UNN..NN.NNNNN.
api/v1/projects/<project_id>/items/<item_id>/<action> @A                 MMMMMMMMMMMMMM
api/v1/projects/<project_id>/items/<item_id>/<action> @B                 MMMMMMMMMMMMMM
api/v1/workspace/assignments/current                                     U...NNNNNNNNNN
api/v1/workspace/assignments/coverage                                    UFFF.FFFFFFFF.
api/v1/workspace/assignments/gaps                                        UFFF.FFFFFFFF.
api/v1/workspace/assignments                                             MMMMMMMMMMMMMM
api/v1/workspace/assignments/auto                                        MMMMMMMMMMMMMM
api/v1/workspace/assignments/handover                                    MMMMMMMMMMMMMM
api/v1/workspace/assignments/contacts                                    U...NNNNNNNNNN
api/v1/investment/intents                                                MMMMMMMMMMMMMM
api/v1/investment/projects                                               UFFFFFFFFF....
api/v1/investment/projects/<project_id> @A                               UFFFFFFFFF....
api/v1/investment/projects/<project_id>/advance @A                       MMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/terminate @A                     MMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/reopen @A                        MMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/contact @A                       MMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/plan @A                          MMMMMMMMMMMMMM
api/v1/investment/visits                                                 UFFFFFFFFF....
api/v1/investment/key-enterprises                                        UFFFFFFFFF....
api/v1/investment/chain-gaps                                             UFFFFFFFFF....
api/v1/investment/indicators                                             UBBBBBBBBBBBBB
api/v1/investment/parks                                                  ..............
api/v1/investment/idle-assets                                            ..............
api/v1/investment/chains                                                 ..............
api/v1/                                                                  NNNNNNNNNNNNNN
healthz                                                                  ..............
admin/                                                                   LLLLLLLLLLLLL.
admin/login/                                                             .............R
admin/logout/                                                            RRRRRRRRRRRRRM
admin/password_change/                                                   LLLLLLLLLLLLL.
admin/password_change/done/                                              LLLLLLLLLLLLL.
admin/autocomplete/                                                      LLLLLLLLLLLLLF
admin/jsi18n/                                                            LLLLLLLLLLLLL.
admin/auth/group/                                                        LLLLLLLLLLLLL.
admin/otp_totp/totpdevice/                                               LLLLLLLLLLLLL.
admin/otp_static/staticdevice/                                           LLLLLLLLLLLLL.
admin/axes/accessattempt/                                                LLLLLLLLLLLLL.
admin/axes/accesslog/                                                    LLLLLLLLLLLLL.
admin/axes/accessfailurelog/                                             LLLLLLLLLLLLL.
admin/django_q/schedule/                                                 LLLLLLLLLLLLL.
admin/django_q/success/                                                  LLLLLLLLLLLLL.
admin/django_q/failure/                                                  LLLLLLLLLLLLL.
admin/django_q/ormq/                                                     LLLLLLLLLLLLL.
admin/core/auditevent/                                                   LLLLLLLLLLLLL.
admin/accounts/user/                                                     LLLLLLLLLLLLL.
admin/accounts/rolegrant/                                                LLLLLLLLLLLLL.
admin/accounts/department/                                               LLLLLLLLLLLLL.
admin/accounts/enterprise/                                               LLLLLLLLLLLLL.
admin/workdays/holiday/                                                  LLLLLLLLLLLLL.
admin/notifications/notification/                                        LLLLLLLLLLLLL.
admin/notifications/outboxmessage/                                       LLLLLLLLLLLLL.
admin/notifications/reminder/                                            LLLLLLLLLLLLL.
admin/publishing/revision/                                               LLLLLLLLLLLLL.
admin/content/notice/                                                    LLLLLLLLLLLLL.
admin/content/jobposting/                                                LLLLLLLLLLLLL.
admin/content/financingneed/                                             LLLLLLLLLLLLL.
admin/appeals/appealcategory/                                            LLLLLLLLLLLLL.
admin/appeals/appeal/                                                    LLLLLLLLLLLLL.
admin/integrations/apikey/                                               LLLLLLLLLLLLL.
admin/integrations/open311request/                                       LLLLLLLLLLLLL.
admin/board/message/                                                     LLLLLLLLLLLLL.
admin/policies/policy/                                                   LLLLLLLLLLLLL.
admin/policies/policysubscription/                                       LLLLLLLLLLLLL.
admin/policies/policymute/                                               LLLLLLLLLLLLL.
admin/policies/autogrant/                                                LLLLLLLLLLLLL.
admin/declarations/call/                                                 LLLLLLLLLLLLL.
admin/declarations/application/                                          LLLLLLLLLLLLL.
admin/declarations/objection/                                            LLLLLLLLLLLLL.
admin/matters/matter/                                                    LLLLLLLLLLLLL.
admin/matters/matterapplication/                                         LLLLLLLLLLLLL.
admin/matters/elicence/                                                  LLLLLLLLLLLLL.
admin/connectors/connector/                                              LLLLLLLLLLLLL.
admin/connectors/externalcase/                                           LLLLLLLLLLLLL.
admin/projects/projectitemtemplate/                                      LLLLLLLLLLLLL.
admin/projects/project/                                                  LLLLLLLLLLLLL.
invest/                                                                  ..............
invest/chains/                                                           ..............
invest/chains/<slug:code>/ @0                                            NNNNNNNNNNNNNN
invest/parks/                                                            ..............
invest/parks/<int:pk>/ @0                                                NNNNNNNNNNNNNN
invest/assets/                                                           ..............
invest/assets/<int:pk>/ @0                                               NNNNNNNNNNNNNN
invest/projects/                                                         ..............
invest/costs/                                                            ..............
invest/policies/                                                         ..............
invest/contacts/                                                         ..............
invest/intent/                                                           ..............
invest/intent/thanks/                                                    RRRRRRRRRRRRRR
invest/photos/<int:pk>/ @0                                               NNNNNNNNNNNNNN
"""
