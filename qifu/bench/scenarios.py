"""What `make bench` measures. A later issue appends its scenario (appeal intake, lists, …)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from qifu.bench.load import Request


class Server(Protocol):
    host: str
    port: int

    def token(self, username: str) -> str: ...

    def session_cookie(self, username: str) -> str: ...


@dataclass(frozen=True)
class Scenario:
    name: str
    # Builds the request once the server runs, e.g. after signing in for a token.
    request: Callable[[Server], Request]


def _bearer(server: Server, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.token(username)}"}


# The first is the framework baseline every other result is divided by.
SCENARIOS: list[Scenario] = [
    Scenario("baseline", lambda s: Request("GET", "/_bench/baseline")),
    Scenario("home_page", lambda s: Request("GET", "/")),
    Scenario("api_me", lambda s: Request("GET", "/api/v1/me", headers=_bearer(s, "qiye"))),
    # Appeal intake: an enterprise files through the API (each request creates an appeal).
    Scenario(
        "appeal_intake",
        lambda s: Request(
            "POST",
            "/api/v1/appeals",
            headers={**_bearer(s, "qiye"), "Content-Type": "application/json"},
            body=json.dumps(
                {"title": "压测诉求", "content": "用电增容申请进展咨询。", "category": "SD"}
            ).encode(),
            expect_status=201,
        ),
    ),
    # The staff lists over all appeals (--scale 10 seeds 100,000), first page, due soonest first.
    Scenario(
        "appeals_staff_list_page",
        lambda s: Request(
            "GET", "/appeals/manage/", headers={"Cookie": s.session_cookie("pingtai")}
        ),
    ),
    Scenario(
        "appeals_staff_list_api",
        lambda s: Request("GET", "/api/v1/appeals?limit=20", headers=_bearer(s, "pingtai")),
    ),
    # Full-text search over the policies (--scale 10 seeds 100,000); 人才引进 is in one in 15.
    Scenario(
        "policy_search",
        lambda s: Request(
            "GET", "/api/v1/policies?q=%E4%BA%BA%E6%89%8D%E5%BC%95%E8%BF%9B&limit=20"
        ),
    ),
    # The matter catalogue searched for 食品许可 (segmented, every word must match).
    Scenario(
        "matters_catalogue_search",
        lambda s: Request("GET", "/matters/?q=%E9%A3%9F%E5%93%81%E8%AE%B8%E5%8F%AF"),
    ),
    # The enterprise's exclusive space: every section's panel for qiye's company, and the API
    # timeline merging all sections (one query per section whatever the history's length).
    Scenario(
        "workspace_home_page",
        lambda s: Request("GET", "/workspace/", headers={"Cookie": s.session_cookie("qiye")}),
    ),
    Scenario(
        "workspace_timeline_api",
        lambda s: Request("GET", "/api/v1/workspace/timeline", headers=_bearer(s, "qiye")),
    ),
]
