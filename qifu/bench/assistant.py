"""我要咨询 at scale: held-out accuracy on the demo base and answer latency with 5,000 entries.

In-process (no HTTP, no database): the engine's index is built from the demo CSV for accuracy,
and from a synthetic 5,000-entry base (demo entries crossed with towns and industries of 荣成)
for latency. `make bench` runs `python -m qifu.bench.assistant` in a child and adds two rows;
neither has an HTTP baseline.
"""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from qifu.bench.server import BASE_DIR, BenchError

ENTRIES = 5000
DEMO_CSV = BASE_DIR / "qifu" / "assistant" / "data" / "faq_demo.csv"
HELDOUT_CSV = BASE_DIR / "qifu" / "assistant" / "data" / "evaluation.csv"
TOWNS = ("崖头街道", "城西街道", "宁津街道", "港湾街道", "桃园街道", "王连街道", "东山街道",
         "斥山街道", "俚岛镇", "成山镇", "埠柳镇", "港西镇", "夏庄镇", "崂山街道", "石岛管理区",
         "人和镇", "荫子镇", "滕家镇", "大疃镇", "上庄镇", "虎山镇", "寻山街道")  # fmt: skip
INDUSTRIES = ("海洋食品", "远洋渔业", "房车制造", "汽车零部件", "船舶修造", "核电配套", "文化旅游",
              "海带养殖", "轮胎橡胶", "新材料", "医药健康", "物流运输", "电子商务", "机械加工",
              "建材", "纺织服装", "住宿餐饮", "批发零售", "软件信息", "建筑施工", "农产品加工",
              "海洋生物", "港口航运", "风电装备")  # fmt: skip


@dataclass(frozen=True)
class AssistantMeasurement:
    entries: int
    accuracy: float
    off_topic_handoff: float
    p50_ms: float
    p95_ms: float


def _demo_rows() -> list[dict[str, str]]:
    with DEMO_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _heldout() -> list[dict[str, str]]:
    with HELDOUT_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def measure_assistant(*, entries: int = ENTRIES) -> AssistantMeasurement:
    """Accuracy on the held-out set, then per-question latency over a large base."""
    from qifu.assistant.engine import Entry, Index

    rows = _demo_rows()
    demo = Index.build(
        Entry(i, r["question"], r["answer"], tuple(r["similar_questions"].split("|")))
        for i, r in enumerate(rows)
    )
    heldout = _heldout()
    on_topic = [r for r in heldout if r["expected"]]
    off_topic = [r for r in heldout if not r["expected"]]
    correct = 0
    for r in on_topic:
        match = demo.search(r["question"])
        correct += match.answered and match.question == r["expected"]
    handed_off = sum(not demo.search(r["question"]).answered for r in off_topic)

    synthetic = []
    for i in range(entries):
        r = rows[i % len(rows)]
        prefix = f"{TOWNS[i // len(rows) % len(TOWNS)]}{INDUSTRIES[i // 7 % len(INDUSTRIES)]}企业"
        similar = tuple(prefix + s for s in r["similar_questions"].split("|"))
        synthetic.append(Entry(i, prefix + r["question"], r["answer"], similar))
    big = Index.build(synthetic)
    questions = [r["question"] for r in heldout] * 5
    timings = []
    for q in questions:
        started = time.perf_counter()
        big.search(q)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return AssistantMeasurement(
        entries=entries,
        accuracy=correct / len(on_topic),
        off_topic_handoff=handed_off / len(off_topic),
        p50_ms=statistics.median(timings),
        p95_ms=timings[int(len(timings) * 0.95) - 1],
    )


def assistant_rows(m: AssistantMeasurement) -> list[dict[str, Any]]:
    """results.json rows: top-1 accuracy (%) and p95 latency (ms) at `entries` entries."""
    return [
        {
            "name": "assistant_accuracy",
            "value": round(m.accuracy * 100, 1),
            "unit": "%",
            "baseline": None,
            "ratio": None,
        },
        {
            "name": f"assistant_p95_{m.entries}",
            "value": round(m.p95_ms, 2),
            "unit": "ms",
            "baseline": None,
            "ratio": None,
        },
    ]


def run_in_child(*, env: dict[str, str]) -> AssistantMeasurement:
    """Measure in a child process (jieba's dictionary stays out of the bench process)."""
    result = subprocess.run(
        [sys.executable, "-m", "qifu.bench.assistant"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"assistant measurement failed:\n{result.stdout}\n{result.stderr}")
    return AssistantMeasurement(**json.loads(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    m = measure_assistant()
    print(json.dumps(m.__dict__))


if __name__ == "__main__":
    main()
