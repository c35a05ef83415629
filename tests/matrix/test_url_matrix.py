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

# Columns: an anonymous · ea enterprise A admin · em enterprise A member · eb enterprise B ·
# ps platform staff · dx department X admin · dh department X handler · dy department Y admin ·
# co commissioner · st steward · iv 商务局 investment staff · rv reviewer (商务局 liaison) ·
# ld leader (督查) · su superuser · pv a provider's (a bank's) user.
# Cells: . opens · L login · R redirect elsewhere · F 403 · N 404 · M 405 (GET on an action) ·
# B 400 · U 401 · C 409.
EXPECTED = r"""
#                                                                        aeeepdddcsirlsp
#                                                                        nambsxhyotvvduv
/                                                                        ...............
workbench/                                                               L..............
section/<slug:code>/ @0                                                  NNNNNNNNNNNNNNN
search/                                                                  ...............
progress/                                                                ...............
contact/                                                                 ...............
evaluation/                                                              ...............
elder/                                                                   MMMMMMMMMMMMMMM
accounts/login/                                                          .RRRRRRRRRRRRRR
accounts/logout/                                                         MMMMMMMMMMMMMMM
accounts/register/                                                       .RRRRRRRRRRRRRR
accounts/code/                                                           MMMMMMMMMMMMMMM
accounts/password/reset/                                                 ...............
accounts/password/reset/confirm/                                         ...............
accounts/password/change/                                                L..............
accounts/profile/                                                        L..............
accounts/otp/setup/                                                      L..............
accounts/otp/verify/                                                     LRRRRRRRRRRRRRR
accounts/coverage/                                                       LFFF.FFFFFFF..F
audit/                                                                   LFFFFFFFFFFFF.F
audit/reveal/<str:key>/<int:pk>/ @0                                      LFFFMFFFFFFFFMF
notifications/                                                           L..............
notifications/<int:pk>/open/ @0                                          LMMMMMMMMMMMMMM
notifications/read-all/                                                  LMMMMMMMMMMMMMM
workdays/                                                                LFFF..........F
content/news/                                                            ...............
content/news/<int:pk>/ @A                                                ...............
content/news/<int:pk>/ @B                                                NNNNNNNNNNNNNNN
content/manage/                                                          LFFF..........F
content/manage/new/                                                      LFFF.........FF
content/manage/<int:pk>/ @A                                              LFFF...NNNNNN.F
content/manage/<int:pk>/ @B                                              LFFFNNN.NNNNN.F
content/manage/<int:pk>/<str:action>/ @A                                 LFFFMMMMMMMMMMF
content/manage/<int:pk>/<str:action>/ @B                                 LFFFMMMMMMMMMMF
content/review/                                                          LFFF..FFFF..F.F
content/postings/                                                        ...............
content/postings/mine/                                                   L...FFFFFFFFFFF
content/postings/mine/new/<str:kind>/ @0                                 LNNNFFFFFFFFFFF
content/postings/review/                                                 LFFF..FFFF..F.F
content/postings/<str:kind>/<int:pk>/ @0                                 NNNNNNNNNNNNNNN
content/postings/<str:kind>/<int:pk>/manage/ @0                          LNNNNNNNNNNNNNN
content/postings/<str:kind>/<int:pk>/manage/<str:action>/ @0             LMMMMMMMMMMMMMM
appeals/                                                                 L...RRRRRRRRRRF
appeals/new/                                                             L...RRRRRRRRRRF
appeals/manage/                                                          LFFF.RRRRRRR..F
appeals/inbox/                                                           LFFFR.......RRF
appeals/record/                                                          LFFF.FFFFFFFF.F
appeals/record/enterprises/                                              LFFF.FFFFFFFF.F
appeals/attachments/<int:pk>/ @0                                         LNNNNNNNNNNNNNN
appeals/<int:pk>/ @A                                                     L..N...NNNNN..N
appeals/<int:pk>/ @B                                                     LNN..NN.NNNN..N
appeals/<int:pk>/<slug:action>/ @A                                       LMMMMMMMMMMMMMM
appeals/<int:pk>/<slug:action>/ @B                                       LMMMMMMMMMMMMMM
declarations/                                                            ...............
declarations/calls/<int:pk>/ @A                                          ...............
declarations/calls/<int:pk>/ @B                                          ...............
declarations/calls/<int:pk>/apply/ @A                                    LRR.FFFFFFFFFFF
declarations/calls/<int:pk>/apply/ @B                                    LRR.FFFFFFFFFFF
declarations/mine/                                                       L...FFFFFFFFFFF
declarations/applications/<int:pk>/ @A                                   L..NN..NNNNNN.N
declarations/applications/<int:pk>/ @B                                   LNN.NNNNNNNNN.N
declarations/applications/<int:pk>/submit/ @A                            LMMMFFFFFFFFFFF
declarations/applications/<int:pk>/submit/ @B                            LMMMFFFFFFFFFFF
declarations/applications/<int:pk>/<str:action>/ @A                      LFFFMMMMMMMMMMF
declarations/applications/<int:pk>/<str:action>/ @B                      LFFFMMMMMMMMMMF
declarations/publicity/                                                  ...............
declarations/publicity/<int:pk>/object/ @0                               LMMMMMMMMMMMMMM
declarations/objections/<int:pk>/answer/ @0                              LFFFMMMMMMMMMMF
declarations/manage/                                                     LFFF..........F
declarations/manage/new/                                                 LFFF.........FF
declarations/manage/<int:pk>/ @A                                         LFFFN..NNNNNN.F
declarations/manage/<int:pk>/ @B                                         LFFFN..NNNNNN.F
declarations/manage/<int:pk>/publication/<str:action>/ @A                LFFFMMMMMMMMMMF
declarations/manage/<int:pk>/publication/<str:action>/ @B                LFFFMMMMMMMMMMF
declarations/manage/<int:pk>/applications/ @A                            LFFFN..NNNNNN.F
declarations/manage/<int:pk>/applications/ @B                            LFFFN..NNNNNN.F
declarations/manage/<int:pk>/publish-results/ @A                         LFFFMMMMMMMMMMF
declarations/manage/<int:pk>/publish-results/ @B                         LFFFMMMMMMMMMMF
reports/reply-rates/                                                     LFFF.FFFFFFF..F
assessment/                                                              LFFF..........F
assessment/methods/                                                      LFFF..........F
assessment/methods/new/                                                  LFFFFFFFFFFFF.F
assessment/methods/<int:version>/ @0                                     LFFFNNNNNNNNNNF
assessment/reports/                                                      ...............
assessment/reports/manage/                                               LFFFFFFFFFFF..F
assessment/reports/<int:pk>/ @0                                          NNNNNNNNNNNNNNN
assessment/reports/<int:pk>/export.xlsx @0                               NNNNNNNNNNNNNNN
assessment/reports/<int:pk>/export.pdf @0                                NNNNNNNNNNNNNNN
assessment/<str:period>/publish/ @0                                      LFFFFFFFFFFFFMF
assessment/<str:period>/<slug:department>/ @0                            LFFFNNNNNNNNNNF
assessment/<str:period>/<slug:department>/<slug:code>/ @0                LFFFNNNNNNNNNNF
matters/                                                                 ...............
matters/mine/                                                            L...RRRRRRRRRRF
matters/inbox/                                                           LFFF..........F
matters/applications/<int:pk>/ @A                                        L..N...NNNNN..N
matters/applications/<int:pk>/ @B                                        LNN..NN.NNNN..N
matters/applications/<int:pk>/<slug:action>/ @A                          LMMMMMMMMMMMMMM
matters/applications/<int:pk>/<slug:action>/ @B                          LMMMMMMMMMMMMMM
matters/materials/<int:pk>/ @0                                           LNNNNNNNNNNNNNN
matters/<slug:code>/ @A                                                  ...............
matters/<slug:code>/ @B                                                  ...............
matters/<slug:code>/apply/ @A                                            L...FFFFFFFFFFF
matters/<slug:code>/apply/ @B                                            L...FFFFFFFFFFF
connectors/                                                              LFFFFFFFFFFFF.F
connectors/issued/                                                       LFFFFFFFFFFFFRF
connectors/mine/                                                         L...FFFFFFFFFFF
connectors/<slug:code>/rotate/ @0                                        LFFFFFFFFFFFFMF
connectors/<slug:code>/toggle/ @0                                        LFFFFFFFFFFFFMF
connectors/<slug:code>/enter/ @0                                         LNNNFFFFFFFFFFF
connectors/<slug:code>/webhook @0                                        MMMMMMMMMMMMMMM
policies/                                                                ...............
policies/new/                                                            ...............
policies/calculator/                                                     ...............
policies/matches/                                                        L...RRRRRRRRRRR
policies/subscriptions/                                                  L..............
policies/subscriptions/add/                                              LMMMMMMMMMMMMMM
policies/subscriptions/<int:pk>/remove/ @0                               LMMMMMMMMMMMMMM
policies/mutes/add/                                                      LMMMMMMMMMMMMMM
policies/mutes/<int:pk>/remove/ @0                                       LMMMMMMMMMMMMMM
policies/manage/                                                         LFFF..........F
policies/manage/new/                                                     LFFF.........FF
policies/manage/<int:pk>/ @0                                             LFFFNNNNNNNNNNF
policies/manage/<int:pk>/auto-grant/ @0                                  LFFFNNNNNNNNNNF
policies/manage/<int:pk>/attachments/ @0                                 LFFFMMMMMMMMMMF
policies/manage/attachments/<int:pk>/remove/ @0                          LFFFMMMMMMMMMMF
policies/manage/<int:pk>/<str:action>/ @0                                LFFFMMMMMMMMMMF
policies/review/                                                         LFFF..FFFF..F.F
policies/p/<str:code>/ @0                                                NNNNNNNNNNNNNNN
policies/interpretations/                                                ...............
policies/interpretations/<int:pk>/ @0                                    NNNNNNNNNNNNNNN
policies/interpretations/<int:pk>/image/ @0                              NNNNNNNNNNNNNNN
policies/topics/                                                         ...............
policies/topics/<int:pk>/ @0                                             NNNNNNNNNNNNNNN
policies/topics/<int:pk>/cover/ @0                                       NNNNNNNNNNNNNNN
policies/lectures/                                                       ...............
policies/lectures/<int:pk>/ @0                                           NNNNNNNNNNNNNNN
policies/lectures/<int:pk>/register/ @0                                  LMMMMMMMMMMMMMM
policies/lectures/<int:pk>/cancel/ @0                                    LMMMMMMMMMMMMMM
policies/manage/extra/<str:kind>/ @0                                     LFFFNNNNNNNNNNF
policies/manage/extra/<str:kind>/new/ @0                                 LFFFNNNNNNNNNNF
policies/manage/extra/<str:kind>/<int:pk>/ @0                            LFFFNNNNNNNNNNF
policies/manage/extra/<str:kind>/<int:pk>/<str:action>/ @0               LFFFMMMMMMMMMMF
policies/manage/lectures/<int:pk>/export/ @0                             LFFFNNNNNNNNNNF
policies/files/<int:pk>/ @0                                              NNNNNNNNNNNNNNN
assistant/                                                               ...............
assistant/vote/<int:log_id>/ @0                                          MMMMMMMMMMMMMMM
assistant/choose/<int:log_id>/ @0                                        MMMMMMMMMMMMMMM
assistant/handoff/<int:log_id>/ @0                                       MMMMMMMMMMMMMMM
assistant/consultations/                                                 L....FFFFFFFF.F
assistant/consultations/<int:pk>/ @0                                     LNNNNNNNNNNNNNN
assistant/consultations/<int:pk>/messages/ @0                            LNNNNNNNNNNNNNN
assistant/consultations/<int:pk>/close/ @0                               LMMMMMMMMMMMMMM
assistant/faq/                                                           LFFF.FFFFFFFF.F
assistant/faq/new/                                                       LFFF.FFFFFFFF.F
assistant/faq/<int:pk>/approve/ @0                                       LMMMMMMMMMMMMMM
assistant/proposals/<int:pk>/ @0                                         LMMMMMMMMMMMMMM
workspace/                                                               L...RFFFRRFFFRF
workspace/timeline/                                                      L...RRRRRRRRRRR
workspace/enterprises/<str:credit_code>/ @A                              LRRN.NNN..NNN.N
workspace/enterprises/<str:credit_code>/ @B                              LNNR.NNNNNNNN.N
workspace/enterprises/<str:credit_code>/timeline/ @A                     L..N.NNN..NNN.N
workspace/enterprises/<str:credit_code>/timeline/ @B                     LNN..NNNNNNNN.N
workspace/profile/                                                       L...NNNNNNNNNNN
workspace/profile/edit/                                                  L.F.NNNNNNNNNNN
workspace/profile/verify/                                                LRFRNNNNNNNNNNN
workspace/members/                                                       L...NNNNNNNNNNN
workspace/members/invite/                                                LMMMMMMMMMMMMMM
workspace/members/<int:member_id>/role/ @0                               LMMMMMMMMMMMMMM
workspace/members/<int:member_id>/remove/ @0                             LMMMMMMMMMMMMMM
workspace/members/invitations/<int:invitation_id>/resend/ @0             LMMMMMMMMMMMMMM
workspace/members/invitations/<int:invitation_id>/revoke/ @0             LMMMMMMMMMMMMMM
workspace/join/<str:token>/ @0                                           NNNNNNNNNNNNNNN
workspace/join/<str:token>/code/ @0                                      MMMMMMMMMMMMMMM
workspace/licences/                                                      L...NNNNNNNNNNN
workspace/licences/<int:pk>/ @0                                          LNNNNNNNNNNNNNN
workspace/licences/import/                                               LFFF.FFFFFFFF.F
workspace/annual-reports/                                                LFFF..........F
workspace/annual-reports/export/                                         LFFF..........F
workspace/annual-reports/mark/                                           LMMMMMMMMMMMMMM
workspace/annual-reports/undo/                                           LMMMMMMMMMMMMMM
workspace/commissioner/                                                  L...RFFFRFFFFRF
workspace/requests/new/                                                  L...FFFFFFFFFFF
workspace/requests/<int:pk>/ @A                                          L..N.NNN..NNN.N
workspace/requests/<int:pk>/ @B                                          LNN..NNNNNNNN.N
workspace/requests/<int:pk>/<slug:action>/ @A                            LMMMMMMMMMMMMMM
workspace/requests/<int:pk>/<slug:action>/ @B                            LMMMMMMMMMMMMMM
workspace/request-files/<int:pk>/ @0                                     LNNNNNNNNNNNNNN
workspace/inbox/                                                         LFFF.FFF.FFFF.F
workspace/inbox/export/                                                  LFFF.FFF.FFFF.F
workspace/served/                                                        LFFFRFFF..FFFRF
workspace/served/<int:pk>/ @A                                            LNNNNNNN..NNNNN
workspace/served/<int:pk>/ @B                                            LNNNNNNNNNNNNNN
workspace/served/<int:pk>/contact/ @A                                    LNNNNNNN..NNNNN
workspace/served/<int:pk>/contact/ @B                                    LNNNNNNNNNNNNNN
workspace/coverage/                                                      LFFF.FFFFFFFF.F
workspace/coverage/auto/                                                 LMMMMMMMMMMMMMM
workspace/coverage/assign/                                               LMMMMMMMMMMMMMM
workspace/coverage/handover/                                             LMMMMMMMMMMMMMM
workspace/coverage/rules/                                                LMMMMMMMMMMMMMM
workspace/coverage/rules/<int:pk>/toggle/ @0                             LMMMMMMMMMMMMMM
projects/                                                                L..............
projects/new/                                                            LFFF.FFFF.FFF.F
projects/department/                                                     LFFF.........FF
projects/enterprises/                                                    LFFF.FFFF.FFF.F
projects/<int:pk>/ @A                                                    L..N.NN.N.NNN.N
projects/<int:pk>/ @B                                                    LNN..NN.NNNNN.N
projects/<int:pk>/items/<int:item_pk>/ @A                                LFFN.NNFN.NNN.N
projects/<int:pk>/items/<int:item_pk>/ @B                                LNNF.NNFNNNNN.N
projects/<int:pk>/items/<int:item_pk>/<slug:action>/ @A                  LMMMMMMMMMMMMMM
projects/<int:pk>/items/<int:item_pk>/<slug:action>/ @B                  LMMMMMMMMMMMMMM
projects/<int:pk>/note/ @A                                               LMMMMMMMMMMMMMM
projects/<int:pk>/note/ @B                                               LMMMMMMMMMMMMMM
projects/<int:pk>/upload/ @A                                             LMMMMMMMMMMMMMM
projects/<int:pk>/upload/ @B                                             LMMMMMMMMMMMMMM
projects/<int:pk>/steward/ @A                                            LMMMMMMMMMMMMMM
projects/<int:pk>/steward/ @B                                            LMMMMMMMMMMMMMM
projects/<int:pk>/documents/<int:document_pk>/ @A                        LNNNNNNNNNNNNNN
projects/<int:pk>/documents/<int:document_pk>/ @B                        LNNNNNNNNNNNNNN
investment/library/                                                      LFFF..........F
investment/library/review/                                               LFFF..........F
investment/library/import/<slug:kind>/ @0                                LFFFNNNNNNNNNNF
investment/library/chains/<int:pk>/links/ @0                             LFFFNNNNNNNNNNF
investment/library/chains/<int:pk>/links/<int:link_pk>/delete/ @0        LFFFMMMMMMMMMMF
investment/library/chains/<int:pk>/links/<int:link_pk>/placement/ @0     LFFFMMMMMMMMMMF
investment/library/<slug:kind>/ @0                                       LFFFNNNNNNNNNNF
investment/library/<slug:kind>/new/ @0                                   LFFFNNNNNNNNNNF
investment/library/<slug:kind>/<int:pk>/ @0                              LFFFNNNNNNNNNNF
investment/library/<slug:kind>/<int:pk>/files/ @0                        LFFFMMMMMMMMMMF
investment/library/<slug:kind>/<int:pk>/files/<int:file_pk>/ @0          LFFFNNNNNNNNNNF
investment/library/<slug:kind>/<int:pk>/files/<int:file_pk>/delete/ @0   LFFFMMMMMMMMMMF
investment/library/<slug:kind>/<int:pk>/<str:action>/ @0                 LFFFMMMMMMMMMMF
investment/projects/                                                     LFFFFFFFFF....F
investment/projects/new/                                                 LFFFFFFFFF..F.F
investment/projects/<int:pk>/ @A                                         LFFFFFFFFF....F
investment/projects/<int:pk>/edit/ @A                                    LFFFFFFFFFMMMMF
investment/projects/<int:pk>/advance/ @A                                 LFFFFFFFFFMMMMF
investment/projects/<int:pk>/terminate/ @A                               LFFFFFFFFFMMMMF
investment/projects/<int:pk>/reopen/ @A                                  LFFFFFFFFFMMMMF
investment/projects/<int:pk>/contact/ @A                                 LFFFFFFFFFMMMMF
investment/projects/<int:pk>/assign/ @A                                  LFFFFFFFFFMMMMF
investment/projects/<int:pk>/plan/ @A                                    LFFFFFFFFFMMMMF
investment/projects/<int:pk>/members/ @A                                 LFFFFFFFFFMMMMF
investment/projects/<int:pk>/documents/ @A                               LFFFFFFFFFMMMMF
investment/projects/<int:pk>/documents/<int:document_pk>/ @A             LFFFFFFFFFNNNNF
investment/projects/<int:pk>/tasks/ @A                                   LFFFFFFFFFMMMMF
investment/tasks/                                                        LFFFFFFFFF..F.F
investment/tasks/<int:task_pk>/done/ @0                                  LFFFFFFFFFMMFMF
investment/visits/                                                       LFFFFFFFFF....F
investment/visits/new/                                                   LFFFFFFFFF..F.F
investment/visits/<int:pk>/ @0                                           LFFFFFFFFFNNNNF
investment/visits/<int:pk>/edit/ @0                                      LFFFFFFFFFNNFNF
investment/analysis/                                                     LFFFFFFFFF....F
investment/analysis/key-enterprises/new/                                 LFFFFFFFFF..F.F
investment/analysis/key-enterprises/<int:pk>/ @0                         LFFFFFFFFFNNFNF
investment/analysis/key-enterprises/<int:pk>/lead/ @0                    LFFFFFFFFFMMFMF
investment/analysis/gaps/                                                LFFFFFFFFF....F
investment/decision/                                                     LFFFFFFFFF....F
investment/decision/map/                                                 LFFFFFFFFF....F
investment/decision/national/                                            LFFFFFFFFF....F
investment/decision/indicators/                                          LFFFFFFFFF....F
investment/services/                                                     LFFFFFFFFF..F.F
investment/services/materials/<int:pk>/ @0                               LFFFFFFFFFNNFNF
integrations/keys/                                                       LFFFFFFFFFFFF.F
integrations/keys/issued/                                                LFFFFFFFFFFFFRF
integrations/keys/<int:pk>/revoke/ @0                                    LFFFFFFFFFFFFMF
messages/                                                                ...............
messages/mine/                                                           L..............
messages/lookup/                                                         ...............
messages/<int:pk>/ @0                                                    LNNNNNNNNNNNNNN
messages/manage/                                                         LFFF.FFFFFFFF.F
messages/manage/<int:pk>/ @0                                             LFFFNFFFFFFFFNF
messages/manage/<int:pk>/answer/ @0                                      LFFFMFFFFFFFFMF
messages/manage/<int:pk>/convert/ @0                                     LFFFNFFFFFFFFNF
supervision/                                                             LFFF.FFFFFFF..F
supervision/<int:pk>/<slug:step>/ @0                                     LFFFMFFFFFFFMMF
dashboards/                                                              LFFF.RRRRRRR..F
dashboards/mine/                                                         LFFFRRRRRRRRRRF
dashboards/departments/<slug:code>/ @0                                   LFFFNNNNNNNNNNF
dashboards/open-data/                                                    ...............
dashboards/open-data/appeals.csv                                         ...............
dashboards/open-data/appeals.json                                        ...............
providers/                                                               ...............
providers/register/                                                      ...............
providers/mine/                                                          LFFFFFFFFFFFFF.
providers/mine/members/                                                  LMMMMMMMMMMMMMM
providers/mine/members/<int:pk>/remove/ @0                               LMMMMMMMMMMMMMM
providers/mine/resubmit/                                                 LMMMMMMMMMMMMMM
providers/documents/<int:pk>/ @0                                         LNNNNNNNNNNNNNN
providers/review/                                                        LFFF..FFFFFFF.F
providers/review/<int:pk>/ @0                                            LFFFNNFFFFFFFNF
providers/review/<int:pk>/<str:action>/ @0                               LFFFMMFFFFFFFMF
financing/                                                               ...............
financing/news/                                                          ...............
financing/news/<int:pk>/ @0                                              NNNNNNNNNNNNNNN
financing/products/                                                      ...............
financing/products/<int:pk>/ @0                                          NNNNNNNNNNNNNNN
financing/institutions/                                                  ...............
financing/funds/                                                         ...............
financing/needs/                                                         L.....FFFFFFF.R
financing/needs/new/                                                     L...RRFFFFFFFRR
financing/needs/<int:pk>/ @0                                             LNNNNNNNNNNNNNN
financing/needs/orders/<int:pk>/<str:action>/ @0                         LMMMMMMMMMMMMMM
financing/documents/<int:pk>/ @0                                         LNNNNNNNNNNNNNN
financing/orders/                                                        LRRR..FFFFFFF..
financing/orders/<int:pk>/ @0                                            LRRRNNFFFFFFFNN
financing/orders/<int:pk>/<str:action>/ @0                               LRRRMMFFFFFFFMM
financing/manage/products/                                               LFFFFFFFFFFFFF.
financing/manage/products/new/                                           LFFFFFFFFFFFFF.
financing/manage/products/<int:pk>/ @0                                   LFFFNNFFFFFFFNN
financing/manage/products/<int:pk>/<str:action>/ @0                      LFFFMMFFFFFFFMM
financing/manage/news/                                                   LFFF..FFFFFFF.F
financing/manage/news/new/                                               LFFF..FFFFFFF.F
financing/manage/news/<int:pk>/ @0                                       LFFFNNFFFFFFFNF
financing/manage/news/<int:pk>/<str:action>/ @0                          LFFFMMFFFFFFFMF
financing/review/                                                        LFFF..FFFFFFF.F
financing/statistics/                                                    LFFF..FFFFFFF.F
market/                                                                  ...............
market/offerings/<int:pk>/ @0                                            NNNNNNNNNNNNNNN
market/offerings/<int:pk>/order/ @0                                      LMMMFFFFFFFFFFF
market/providers/                                                        ...............
market/providers/<int:pk>/ @0                                            NNNNNNNNNNNNNNN
market/needs/new/                                                        L...FFFFFFFFFFF
market/orders/                                                           L...F.FFFFFFF..
market/orders/<int:pk>/ @0                                               LNNNFNFFFFFFFNN
market/orders/<int:pk>/<str:action>/ @0                                  LMMMFMFFFFFFFMM
market/manage/                                                           LFFFFFFFFFFFFF.
market/manage/new/                                                       LFFFFFFFFFFFFF.
market/manage/<int:pk>/ @0                                               LNNNNNNNNNNNNNN
market/manage/<int:pk>/<str:action>/ @0                                  LMMMMMMMMMMMMMM
market/review/                                                           LFFFF.FFFFFFF.F
cooperation/                                                             ...............
cooperation/resources/<int:pk>/ @0                                       NNNNNNNNNNNNNNN
cooperation/needs/<int:pk>/ @0                                           NNNNNNNNNNNNNNN
cooperation/propose/                                                     LMMMFMFFFFFFFMF
cooperation/mine/                                                        L...F.FFFFFFF.F
cooperation/resources/new/                                               LFFFFFFFFFFFFFF
cooperation/resources/<int:pk>/manage/ @0                                LNNNNNNNNNNNNNN
cooperation/resources/<int:pk>/manage/<str:action>/ @0                   LMMMMMMMMMMMMMM
cooperation/needs/new/                                                   L...FFFFFFFFFFF
cooperation/needs/<int:pk>/manage/ @0                                    LNNNNNNNNNNNNNN
cooperation/needs/<int:pk>/manage/<str:action>/ @0                       LMMMMMMMMMMMMMM
cooperation/review/                                                      LFFFF.FFFFFFF.F
cooperation/records/<int:pk>/ @0                                         LNNNFNFFFFFFFNF
cooperation/records/<int:pk>/<str:action>/ @0                            LMMMFMFFFFFFFMF
cooperation/stats/                                                       ...............
open311/v2/services.(?P<fmt>json|xml) @0                                 ...............
open311/v2/services/(?P<service_code>[\w-]+).(?P<fmt>json|xml) @0        NNNNNNNNNNNNNNN
open311/v2/requests.(?P<fmt>json|xml) @0                                 ...............
open311/v2/requests/(?P<service_request_id>[\w-]+).(?P<fmt>json|xml) @0  NNNNNNNNNNNNNNN
api/v1/openapi.json                                                      ...............
api/v1/docs                                                              ...............
api/v1/auth/token                                                        MMMMMMMMMMMMMMM
api/v1/me                                                                U..............
api/v1/departments                                                       U..............
api/v1/calendar/deadline                                                 BBBBBBBBBBBBBBB
api/v1/notifications                                                     U..............
api/v1/notifications/read-all                                            MMMMMMMMMMMMMMM
api/v1/notifications/<int:notification_id>/read @0                       MMMMMMMMMMMMMMM
api/v1/appeals/categories                                                ...............
api/v1/appeals                                                           U..............
api/v1/appeals/<appeal_id> @A                                            U..N...NNNNN..N
api/v1/appeals/<appeal_id> @B                                            UNN..NN.NNNN..N
api/v1/appeals/<appeal_id>/triage @A                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/triage @B                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/link @A                                       MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/link @B                                       MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/dispatch @A                                   MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/dispatch @B                                   MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/accept @A                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/accept @B                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/contact @A                                    MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/contact @B                                    MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/return @A                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/return @B                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extend @A                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extend @B                                     MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extensions/<extension_id>/decide @A           MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/extensions/<extension_id>/decide @B           MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/respond @A                                    MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/respond @B                                    MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/followup @A                                   MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/followup @B                                   MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/evaluate @A                                   MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/evaluate @B                                   MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/supervise @A                                  MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/supervise @B                                  MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/close @A                                      MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/close @B                                      MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/merge @A                                      MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/merge @B                                      MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/note @A                                       MMMMMMMMMMMMMMM
api/v1/appeals/<appeal_id>/note @B                                       MMMMMMMMMMMMMMM
api/v1/declarations/calls                                                ...............
api/v1/declarations/calls/<call_id> @A                                   ...............
api/v1/declarations/calls/<call_id> @B                                   ...............
api/v1/declarations/calls/<call_id>/eligibility @A                       U...FFFFFFFFFFF
api/v1/declarations/calls/<call_id>/eligibility @B                       U...FFFFFFFFFFF
api/v1/declarations/calls/<call_id>/publish-results @A                   MMMMMMMMMMMMMMM
api/v1/declarations/calls/<call_id>/publish-results @B                   MMMMMMMMMMMMMMM
api/v1/declarations/applications                                         U..............
api/v1/declarations/applications/<application_id> @A                     U..NN..NNNNNN.N
api/v1/declarations/applications/<application_id> @B                     UNN.NNNNNNNNN.N
api/v1/declarations/applications/<application_id>/files @A               MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/files @B               MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/submit @A              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/submit @B              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/accept @A              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/accept @B              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/return @A              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/return @B              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/reject @A              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/reject @B              MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/approve @A             MMMMMMMMMMMMMMM
api/v1/declarations/applications/<application_id>/approve @B             MMMMMMMMMMMMMMM
api/v1/declarations/publicity                                            ...............
api/v1/declarations/publicity/<application_id>/objections @0             MMMMMMMMMMMMMMM
api/v1/declarations/objections/<objection_id>/answer @0                  MMMMMMMMMMMMMMM
api/v1/policies                                                          ...............
api/v1/policies/matches                                                  UBBBBBBBBBBBBBB
api/v1/policies/near-misses                                              UBBBBBBBBBBBBBB
api/v1/policies/<code> @0                                                NNNNNNNNNNNNNNN
api/v1/matters                                                           ...............
api/v1/matters/applications                                              MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/materials @A                MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/materials @B                MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id> @A                          U..N...NNNNN..N
api/v1/matters/applications/<application_id> @B                          UNN..NN.NNNN..N
api/v1/matters/applications/<application_id>/submit @A                   MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/submit @B                   MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/accept @A                   MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/accept @B                   MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/supplement @A               MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/supplement @B               MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/approve @A                  MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/approve @B                  MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/refuse @A                   MMMMMMMMMMMMMMM
api/v1/matters/applications/<application_id>/refuse @B                   MMMMMMMMMMMMMMM
api/v1/matters/<code> @A                                                 ...............
api/v1/matters/<code> @B                                                 ...............
api/v1/assistant/ask                                                     MMMMMMMMMMMMMMM
api/v1/workspace                                                         U...NNNNNNNNNNN
api/v1/workspace/timeline                                                U...NNNNNNNNNNN
api/v1/workspace/licences                                                U...BBBBBBBBBBB
api/v1/workspace/licences/annual-report                                  U...BBBBBBBBBBB
api/v1/workspace/licences/<licence_id> @0                                UNNNNNNNNNNNNNN
api/v1/workspace/members                                                 U...NNNNNNNNNNN
api/v1/workspace/members/invitations/<invitation_id>/resend @0           MMMMMMMMMMMMMMM
api/v1/workspace/members/invitations/<invitation_id> @0                  MMMMMMMMMMMMMMM
api/v1/workspace/members/<member_id>/role @0                             MMMMMMMMMMMMMMM
api/v1/workspace/members/<member_id> @0                                  MMMMMMMMMMMMMMM
api/v1/workspace/profile                                                 U...NNNNNNNNNNN
api/v1/workspace/profile/verification                                    MMMMMMMMMMMMMMM
api/v1/workspace/requests                                                U....FFF.FFFF.F
api/v1/workspace/requests/<request_id> @A                                U..N.NNN..NNN.N
api/v1/workspace/requests/<request_id> @B                                UNN..NNNNNNNN.N
api/v1/workspace/requests/<request_id>/accept @A                         MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/accept @B                         MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/ask_info @A                       MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/ask_info @B                       MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/supply_info @A                    MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/supply_info @B                    MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/complete @A                       MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/complete @B                       MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/withdraw @A                       MMMMMMMMMMMMMMM
api/v1/workspace/requests/<request_id>/withdraw @B                       MMMMMMMMMMMMMMM
api/v1/projects                                                          U..............
api/v1/projects/department-items                                         UFFF.........FF
api/v1/projects/<project_id> @A                                          U..N.NN.N.NNN.N
api/v1/projects/<project_id> @B                                          UNN..NN.NNNNN.N
api/v1/projects/<project_id>/items/<item_id>/<action> @A                 MMMMMMMMMMMMMMM
api/v1/projects/<project_id>/items/<item_id>/<action> @B                 MMMMMMMMMMMMMMM
api/v1/workspace/assignments/current                                     U...NNNNNNNNNNN
api/v1/workspace/assignments/coverage                                    UFFF.FFFFFFFF.F
api/v1/workspace/assignments/gaps                                        UFFF.FFFFFFFF.F
api/v1/workspace/assignments                                             MMMMMMMMMMMMMMM
api/v1/workspace/assignments/auto                                        MMMMMMMMMMMMMMM
api/v1/workspace/assignments/handover                                    MMMMMMMMMMMMMMM
api/v1/workspace/assignments/contacts                                    U...NNNNNNNNNNN
api/v1/investment/intents                                                MMMMMMMMMMMMMMM
api/v1/investment/projects                                               UFFFFFFFFF....F
api/v1/investment/projects/<project_id> @A                               UFFFFFFFFF....F
api/v1/investment/projects/<project_id>/advance @A                       MMMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/terminate @A                     MMMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/reopen @A                        MMMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/contact @A                       MMMMMMMMMMMMMMM
api/v1/investment/projects/<project_id>/plan @A                          MMMMMMMMMMMMMMM
api/v1/investment/visits                                                 UFFFFFFFFF....F
api/v1/investment/key-enterprises                                        UFFFFFFFFF....F
api/v1/investment/chain-gaps                                             UFFFFFFFFF....F
api/v1/investment/indicators                                             UBBBBBBBBBBBBBB
api/v1/investment/parks                                                  ...............
api/v1/investment/idle-assets                                            ...............
api/v1/investment/chains                                                 ...............
api/v1/assessment/ranking                                                UFFF..........F
api/v1/open-data/appeals                                                 ...............
api/v1/providers                                                         ...............
api/v1/providers/me                                                      UNNNNNNNNNNNNN.
api/v1/financing/products                                                ...............
api/v1/financing/news                                                    ...............
api/v1/financing/funds                                                   ...............
api/v1/financing/products/<product_id>/submit @0                         MMMMMMMMMMMMMMM
api/v1/financing/requests                                                U.....FFFFFFF.F
api/v1/financing/requests/<request_id> @0                                UNNNNNNNNNNNNNN
api/v1/financing/orders                                                  U..............
api/v1/financing/orders/<order_id> @0                                    UNNNNNNNNNNNNNN
api/v1/financing/orders/<order_id>/take @0                               MMMMMMMMMMMMMMM
api/v1/financing/orders/<order_id>/grant @0                              MMMMMMMMMMMMMMM
api/v1/financing/orders/<order_id>/refuse @0                             MMMMMMMMMMMMMMM
api/v1/financing/orders/<order_id>/cancel @0                             MMMMMMMMMMMMMMM
api/v1/financing/orders/<order_id>/rate @0                               MMMMMMMMMMMMMMM
api/v1/financing/statistics                                              UFFF..FFFFFFF.F
api/v1/market/offerings                                                  ...............
api/v1/market/offerings/<offering_id> @0                                 NNNNNNNNNNNNNNN
api/v1/market/providers/<provider_id> @0                                 NNNNNNNNNNNNNNN
api/v1/market/mine/offerings                                             UFFFFFFFFFFFFF.
api/v1/market/offerings/<offering_id>/submit @0                          MMMMMMMMMMMMMMM
api/v1/market/orders                                                     U..............
api/v1/market/needs                                                      MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id> @0                                       UNNNNNNNNNNNNNN
api/v1/market/orders/<order_id>/quote @0                                 MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/choose @0                                MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/draw @0                                  MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/accept @0                                MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/decline @0                               MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/complete @0                              MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/rate @0                                  MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/cancel @0                                MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/complaints @0                            MMMMMMMMMMMMMMM
api/v1/market/orders/<order_id>/resolve @0                               MMMMMMMMMMMMMMM
api/v1/cooperation/resources                                             ...............
api/v1/cooperation/needs                                                 ...............
api/v1/cooperation/resources/<resource_id>/submit @0                     MMMMMMMMMMMMMMM
api/v1/cooperation/needs/<need_id>/submit @0                             MMMMMMMMMMMMMMM
api/v1/cooperation/needs/<need_id>/suggestions @0                        UNNNNNNNNNNNNNN
api/v1/cooperation/resources/<resource_id>/suggestions @0                UNNNNNNNNNNNNNN
api/v1/cooperation/records                                               U..............
api/v1/cooperation/records/<cooperation_id> @0                           UNNNNNNNNNNNNNN
api/v1/cooperation/records/<cooperation_id>/accept @0                    MMMMMMMMMMMMMMM
api/v1/cooperation/records/<cooperation_id>/decline @0                   MMMMMMMMMMMMMMM
api/v1/cooperation/records/<cooperation_id>/progress @0                  MMMMMMMMMMMMMMM
api/v1/cooperation/records/<cooperation_id>/agree @0                     MMMMMMMMMMMMMMM
api/v1/cooperation/records/<cooperation_id>/outcome @0                   MMMMMMMMMMMMMMM
api/v1/cooperation/records/<cooperation_id>/terminate @0                 MMMMMMMMMMMMMMM
api/v1/cooperation/statistics                                            ...............
api/v1/                                                                  NNNNNNNNNNNNNNN
healthz                                                                  ...............
admin/                                                                   LLLLLLLLLLLLL.L
admin/login/                                                             .............R.
admin/logout/                                                            RRRRRRRRRRRRRMR
admin/password_change/                                                   LLLLLLLLLLLLL.L
admin/password_change/done/                                              LLLLLLLLLLLLL.L
admin/autocomplete/                                                      LLLLLLLLLLLLLFL
admin/jsi18n/                                                            LLLLLLLLLLLLL.L
admin/auth/group/                                                        LLLLLLLLLLLLL.L
admin/otp_totp/totpdevice/                                               LLLLLLLLLLLLL.L
admin/otp_static/staticdevice/                                           LLLLLLLLLLLLL.L
admin/axes/accessattempt/                                                LLLLLLLLLLLLL.L
admin/axes/accesslog/                                                    LLLLLLLLLLLLL.L
admin/axes/accessfailurelog/                                             LLLLLLLLLLLLL.L
admin/django_q/schedule/                                                 LLLLLLLLLLLLL.L
admin/django_q/success/                                                  LLLLLLLLLLLLL.L
admin/django_q/failure/                                                  LLLLLLLLLLLLL.L
admin/django_q/ormq/                                                     LLLLLLLLLLLLL.L
admin/core/auditevent/                                                   LLLLLLLLLLLLL.L
admin/accounts/user/                                                     LLLLLLLLLLLLL.L
admin/accounts/rolegrant/                                                LLLLLLLLLLLLL.L
admin/accounts/department/                                               LLLLLLLLLLLLL.L
admin/accounts/enterprise/                                               LLLLLLLLLLLLL.L
admin/workdays/holiday/                                                  LLLLLLLLLLLLL.L
admin/notifications/notification/                                        LLLLLLLLLLLLL.L
admin/notifications/outboxmessage/                                       LLLLLLLLLLLLL.L
admin/notifications/reminder/                                            LLLLLLLLLLLLL.L
admin/publishing/revision/                                               LLLLLLLLLLLLL.L
admin/providers/provider/                                                LLLLLLLLLLLLL.L
admin/content/notice/                                                    LLLLLLLLLLLLL.L
admin/content/jobposting/                                                LLLLLLLLLLLLL.L
admin/content/financingneed/                                             LLLLLLLLLLLLL.L
admin/appeals/appealcategory/                                            LLLLLLLLLLLLL.L
admin/appeals/appeal/                                                    LLLLLLLLLLLLL.L
admin/integrations/apikey/                                               LLLLLLLLLLLLL.L
admin/integrations/open311request/                                       LLLLLLLLLLLLL.L
admin/board/message/                                                     LLLLLLLLLLLLL.L
admin/policies/policy/                                                   LLLLLLLLLLLLL.L
admin/policies/policysubscription/                                       LLLLLLLLLLLLL.L
admin/policies/policymute/                                               LLLLLLLLLLLLL.L
admin/policies/autogrant/                                                LLLLLLLLLLLLL.L
admin/declarations/call/                                                 LLLLLLLLLLLLL.L
admin/declarations/application/                                          LLLLLLLLLLLLL.L
admin/declarations/objection/                                            LLLLLLLLLLLLL.L
admin/matters/matter/                                                    LLLLLLLLLLLLL.L
admin/matters/matterapplication/                                         LLLLLLLLLLLLL.L
admin/matters/elicence/                                                  LLLLLLLLLLLLL.L
admin/connectors/connector/                                              LLLLLLLLLLLLL.L
admin/connectors/externalcase/                                           LLLLLLLLLLLLL.L
admin/projects/projectitemtemplate/                                      LLLLLLLLLLLLL.L
admin/projects/project/                                                  LLLLLLLLLLLLL.L
admin/financing/governmentfund/                                          LLLLLLLLLLLLL.L
admin/financing/financingrequest/                                        LLLLLLLLLLLLL.L
admin/financing/financingorder/                                          LLLLLLLLLLLLL.L
admin/market/offering/                                                   LLLLLLLLLLLLL.L
admin/market/order/                                                      LLLLLLLLLLLLL.L
admin/market/draw/                                                       LLLLLLLLLLLLL.L
admin/market/complaint/                                                  LLLLLLLLLLLLL.L
admin/cooperation/resource/                                              LLLLLLLLLLLLL.L
admin/cooperation/techneed/                                              LLLLLLLLLLLLL.L
admin/cooperation/cooperation/                                           LLLLLLLLLLLLL.L
invest/                                                                  ...............
invest/chains/                                                           ...............
invest/chains/<slug:code>/ @0                                            NNNNNNNNNNNNNNN
invest/parks/                                                            ...............
invest/parks/<int:pk>/ @0                                                NNNNNNNNNNNNNNN
invest/assets/                                                           ...............
invest/assets/<int:pk>/ @0                                               NNNNNNNNNNNNNNN
invest/projects/                                                         ...............
invest/costs/                                                            ...............
invest/policies/                                                         ...............
invest/contacts/                                                         ...............
invest/intent/                                                           ...............
invest/intent/thanks/                                                    RRRRRRRRRRRRRRR
invest/photos/<int:pk>/ @0                                               NNNNNNNNNNNNNNN
"""
