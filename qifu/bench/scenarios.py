"""What `make bench` measures. A later issue appends its scenario (appeal intake, lists, …)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from qifu.bench.load import Request


class Server(Protocol):
    host: str
    port: int

    def token(self, username: str) -> str: ...


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
]
