"""Turning measurements into the rows of var/bench/results.json, and a table for people."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASELINE = "floor"


@dataclass(frozen=True)
class Measurement:
    """One scenario's outcome: completed requests in `seconds`, latency percentiles, failures."""

    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0


def percentile(values: tuple[float, ...] | list[float], pct: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _ratio(value: float, baseline: float) -> float | None:
    return round(value / baseline, 4) if baseline else None


def result_rows(measurements: list[Measurement]) -> list[dict[str, Any]]:
    """Two rows per scenario (throughput and p95 latency), each against the baseline scenario."""
    by_name = {m.name: m for m in measurements}
    if BASELINE not in by_name:
        raise ValueError("the baseline scenario must be measured in the same run")
    base = by_name[BASELINE]
    rows: list[dict[str, Any]] = []
    for m in measurements:
        rows.append(
            {
                "name": f"{m.name}_rps",
                "value": round(m.rps, 1),
                "unit": "req/s",
                "baseline": round(base.rps, 1),
                "ratio": _ratio(m.rps, base.rps),
            }
        )
        rows.append(
            {
                "name": f"{m.name}_p95",
                "value": round(m.p95_ms, 2),
                "unit": "ms",
                "baseline": round(base.p95_ms, 2),
                "ratio": _ratio(m.p95_ms, base.p95_ms),
            }
        )
    return rows


def write_results(path: Path, rows: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def format_table(rows: list[dict[str, Any]]) -> str:
    header = f"{'name':<28} {'value':>10} {'unit':<6} {'baseline':>10} {'ratio':>8}"
    lines = [header, "-" * len(header)]
    for row in rows:
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.3f}"
        name, value, unit, base = row["name"], row["value"], row["unit"], row["baseline"]
        # In-process measurements (matching_throughput) have no HTTP baseline.
        base = "" if base is None else base
        lines.append(f"{name:<28} {value:>10} {unit:<6} {base:>10} {ratio:>8}")
    return "\n".join(lines)


def goal_lines(rows: list[dict[str, Any]], goals: dict[str, float]) -> list[str]:
    """One line per scenario with a goal: its ratio to the floor, the goal, met or not."""
    by_name = {row["name"]: row for row in rows}
    lines = ["目标（与同一次运行中的地板值之比）："]
    for name, goal in goals.items():
        row = by_name.get(f"{name}_rps")
        if row is None or row["ratio"] is None:
            continue
        mark = "达到" if row["ratio"] >= goal else "未达到"
        lines.append(f"  {name:<28} {row['ratio']:.3f}  目标 ≥ {goal:.2f}  {mark}")
    return lines
