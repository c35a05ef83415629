"""Fuzz every operation of the OpenAPI schema (schemathesis): no input may cause a 5xx.

Valid-shaped and invalid (negative) values for every path, query and body parameter, anonymously
and as an enterprise administrator and platform staff. Bounded: a few examples per operation
(FUZZ_EXAMPLES to raise it locally). Run on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from qifu.wsgi import application

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
# Operations whose only effect on a fuzzer is to wait (none today); listed here with the reason.
SKIP: set[str] = set()


@pytest.fixture
def fuzz_settings(settings: Any) -> Any:
    """No rate limit; and the test's database connection stays open between requests, as
    Django's own test client arranges (the WSGI handler would close it after each one)."""
    from django.core import signals
    from django.db import close_old_connections

    settings.API_RATE_LIMIT_PER_MINUTE = 10**9
    settings.API_RATE_LIMIT_ANON_PER_MINUTE = 10**9
    settings.API_RATE_LIMIT_PER_ADDRESS_PER_MINUTE = 10**9
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _operations() -> list[Any]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation: Any, headers: dict[str, str], mode: GenerationMode) -> list[str]:
    failures: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        if response.status_code >= 500:
            failures.append(
                f"{case.method} {case.formatted_path} query={case.query!r} "
                f"body={getattr(case, 'body', None)!r} → {response.status_code}"
            )

    # Unsatisfiable: e.g. no invalid value exists for an operation without parameters.
    with contextlib.suppress(Unsatisfiable):
        run()
    return failures


@pytest.mark.parametrize("persona", ["anonymous", "enterprise_user", "platform_staff"])
def test_no_api_operation_answers_5xx(persona: str, request: Any, fuzz_settings: None) -> None:
    from qifu.accounts.services import api_token_issue

    headers: dict[str, str] = {}
    if persona != "anonymous":
        raw, _ = api_token_issue(user=request.getfixturevalue(persona))
        headers["Authorization"] = f"Bearer {raw}"
    failures: list[str] = []
    for operation in _operations():
        if operation.label in SKIP:
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.extend(_fuzz(operation, headers, mode))
    assert not failures, "\n".join(failures[:30])
