"""What `make bench` measures, each scenario as the list of requests wrk cycles through: one
per distinct client (token or session) or object, so no result is one user's cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from qifu.bench import FLOOR_PATH
from qifu.bench.load import Request


@dataclass(frozen=True)
class Clients:
    """Credentials of the bench's users (qifu/bench/users.py) and appeals to open."""

    enterprise_tokens: list[str] = field(default_factory=list)
    staff_tokens: list[str] = field(default_factory=list)
    staff_cookies: list[str] = field(default_factory=list)
    enterprise_cookies: list[str] = field(default_factory=list)
    appeal_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Scenario:
    name: str
    requests: Callable[[Clients], list[Request]]
    # Count every response whose status is not the expected one (slows wrk: slow paths only).
    check_status: bool = False
    goal: float | None = None  # the goal as a ratio to the floor
    # Send each distinct request once before the load: pages whose first visit per client fills
    # a cache that takes seconds (the exclusive space matches the enterprise against every
    # policy in force: 100,000 at --scale 10), measured warm.
    warm_each: bool = False


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _get(path: str, headers: dict[str, str] | None = None) -> Request:
    return Request("GET", path, headers=headers or {})


INTAKE_BODY = json.dumps(
    {"title": "压测诉求", "content": "用电增容申请进展咨询。", "category": "SD"}
).encode()
POLICY_QUERY = "高新技术"


def _detail(c: Clients) -> list[Request]:
    tokens = c.staff_tokens
    return [
        _get(f"/api/v1/appeals/{pk}", _bearer(tokens[i % len(tokens)]))
        for i, pk in enumerate(c.appeal_ids)
    ]


# The first is the floor every other result is divided by.
SCENARIOS: list[Scenario] = [
    Scenario("floor", lambda c: [_get(FLOOR_PATH)]),
    Scenario("home_page", lambda c: [_get("/")], goal=0.30),
    Scenario(
        "api_me",
        lambda c: [_get("/api/v1/me", _bearer(t)) for t in c.enterprise_tokens],
        goal=0.50,
    ),
    # The staff lists over all appeals (--scale 10 seeds 100,000), first page.
    Scenario(
        "appeals_staff_list_api",
        lambda c: [_get("/api/v1/appeals?limit=20", _bearer(t)) for t in c.staff_tokens],
        goal=0.20,
    ),
    Scenario(
        "appeals_staff_list_page",
        lambda c: [_get("/appeals/manage/", {"Cookie": k}) for k in c.staff_cookies],
        goal=0.20,
    ),
    Scenario("appeal_detail_api", _detail, goal=0.25),
    # Full-text search over the policies (--scale 10 seeds 100,000).
    Scenario(
        "policy_search",
        lambda c: [_get(f"/api/v1/policies?q={quote(POLICY_QUERY)}&limit=20")],
        goal=0.15,
    ),
    # Appeal intake: enterprises file through the API (each request creates an appeal).
    Scenario(
        "appeal_intake",
        lambda c: [
            Request("POST", "/api/v1/appeals", _bearer(t), body=INTAKE_BODY, expect_status=201)
            for t in c.enterprise_tokens
        ],
        check_status=True,
        goal=0.10,
    ),
    # The matter catalogue searched for 食品许可 (segmented, every word must match).
    Scenario("matters_catalogue_search", lambda c: [_get(f"/matters/?q={quote('食品许可')}")]),
    # The enterprise's exclusive space and its API timeline (ten enterprises, warmed each).
    Scenario(
        "workspace_home_page",
        lambda c: [_get("/workspace/", {"Cookie": k}) for k in c.enterprise_cookies[:10]],
        warm_each=True,
    ),
    Scenario(
        "workspace_timeline_api",
        lambda c: [
            _get("/api/v1/workspace/timeline", _bearer(t)) for t in c.enterprise_tokens[:10]
        ],
        warm_each=True,
    ),
]
