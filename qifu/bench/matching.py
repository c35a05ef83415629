"""Matching throughput: enterprises × policies evaluated per second, in-process (no HTTP).

`make bench` runs `python -m qifu.bench.matching` in a child on the bench database (the bench
process itself never imports Django settings) and adds its row, in pairs/s, to the results; it
has no HTTP baseline, so `baseline` and `ratio` are null.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from qifu.bench.server import BASE_DIR, BenchError

NAME = "matching_throughput"
ENTERPRISES = 200
POLICIES = 2000


@dataclass(frozen=True)
class MatchingMeasurement:
    enterprises: int
    policies: int
    seconds: float
    eligible: int

    @property
    def pairs(self) -> int:
        return self.enterprises * self.policies

    @property
    def pairs_per_second(self) -> float:
        return self.pairs / self.seconds if self.seconds > 0 else 0.0


def measure_matching(
    *, enterprises: int = ENTERPRISES, policies: int = POLICIES
) -> MatchingMeasurement:
    """Evaluate every loaded enterprise against every loaded policy in force and time it."""
    from django.utils import timezone

    from qifu.accounts.models import Enterprise
    from qifu.policies.matching import evaluate
    from qifu.policies.selectors import matchable_policies

    today = timezone.localdate()
    loaded_policies = matchable_policies(today=today)[:policies]
    loaded_enterprises = list(
        Enterprise.objects.select_related("region").order_by("pk")[:enterprises]
    )
    eligible = 0
    started = time.perf_counter()
    for enterprise in loaded_enterprises:
        for policy in loaded_policies:
            if evaluate(policy, enterprise, today).eligible:
                eligible += 1
    seconds = time.perf_counter() - started
    return MatchingMeasurement(len(loaded_enterprises), len(loaded_policies), seconds, eligible)


def matching_row(m: MatchingMeasurement) -> dict[str, Any]:
    """The results.json row: pairs per second, with no HTTP baseline to compare against."""
    return {
        "name": NAME,
        "value": round(m.pairs_per_second, 1),
        "unit": "pairs/s",
        "baseline": None,
        "ratio": None,
    }


def run_in_child(*, env: dict[str, str]) -> MatchingMeasurement:
    """Measure in a child process on the bench database (`env` from bench_env)."""
    result = subprocess.run(
        [sys.executable, "-m", "qifu.bench.matching"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"matching measurement failed:\n{result.stdout}\n{result.stderr}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    measurement = MatchingMeasurement(**data)
    if measurement.pairs == 0:
        raise BenchError("matching measurement found no enterprises or no policies in force")
    return measurement


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qifu.settings")
    django.setup()
    m = measure_matching()
    print(
        json.dumps(
            {
                "enterprises": m.enterprises,
                "policies": m.policies,
                "seconds": m.seconds,
                "eligible": m.eligible,
            }
        )
    )


if __name__ == "__main__":
    main()
