from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client

from qifu.bench.matching import MatchingMeasurement, matching_row, measure_matching
from qifu.bench.results import Measurement as HttpMeasurement
from qifu.bench.results import format_table, result_rows
from qifu.bench.scenarios import SCENARIOS, Clients
from qifu.demo.policy_volume import seed_synthetic
from qifu.policies.models import Policy
from qifu.publishing.models import PublicationStatus


def test_the_policy_search_scenario_asks_the_public_api_for_a_common_word() -> None:
    (scenario,) = [s for s in SCENARIOS if s.name == "policy_search"]

    (request,) = scenario.requests(Clients())

    assert request.method == "GET" and not request.headers
    assert unquote(request.path).startswith("/api/v1/policies?q=高新技术")


@pytest.mark.django_db
def test_the_search_scenario_answers_over_synthetic_policies(department_admin: Any) -> None:
    seed_synthetic(count=30, stdout=StringIO())
    (scenario,) = [s for s in SCENARIOS if s.name == "policy_search"]

    response = Client().get(scenario.requests(Clients())[0].path)

    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 2
    assert all("高新技术" in item["title"] for item in items)


@pytest.mark.django_db
def test_matching_evaluates_every_enterprise_against_every_policy_in_force(
    department_admin: Any, make_enterprise: Any
) -> None:
    for _ in range(3):
        make_enterprise()
    seed_synthetic(count=5, stdout=StringIO())
    Policy.objects.filter(code__endswith="4").update(status=PublicationStatus.DRAFT)
    Policy.objects.filter(code__endswith="3").update(expires_on=dt.date(2000, 1, 1))

    measured = measure_matching()

    assert (measured.enterprises, measured.policies, measured.pairs) == (3, 3, 9)
    assert 0 <= measured.eligible <= 9
    assert measured.pairs_per_second > 0


def test_the_matching_row_is_in_pairs_per_second_without_a_baseline() -> None:
    row = matching_row(MatchingMeasurement(enterprises=10, policies=50, seconds=0.5, eligible=7))

    assert row == {
        "name": "matching_throughput",
        "value": 1000.0,
        "unit": "pairs/s",
        "baseline": None,
        "ratio": None,
    }
    rows = result_rows([HttpMeasurement("floor", 10, 1.0, 1.0, 1.0)])
    assert "matching_throughput" in format_table([*rows, row])
