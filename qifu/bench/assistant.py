"""我要咨询 over HTTP: accuracy on the evaluation set and answer latency with 5,000 entries.

`make bench` calls `measure_over_http` while its gunicorn serves the bench database (seeded with
the 153 demo entries):

1. every question of qifu/assistant/data/evaluation.csv is posted to `POST /api/v1/assistant/ask`
   and scored per split: top-1 accuracy (answered with the expected entry) on the paraphrases,
   hand-off (not answered) on the questions the base does not cover, and how often it asked back
   ("您是不是想问") instead. The tuning split is what thresholds were chosen on; the test split
   never was, and never grows the knowledge base.
2. a child process grows the base to 5,000 entries (demo entries crossed with towns and
   industries of 荣成, each with one similar question) through `faq_import`, which stores their
   vectors; then questions are posted one after another and the p50/p95 of the whole HTTP round
   trip are reported. Vectors of the synthetic entries are kept in var/bench/ between runs.

`python -m qifu.bench.assistant --calibrate` refits the engine's confidence curve on the tuning
split (in-process); `--demo-vectors` rewrites the shipped vectors of the demo base.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from qifu.bench.load import Request, send
from qifu.bench.server import BASE_DIR, BENCH_DIR, BenchError

ENTRIES = 5000
LATENCY_QUESTIONS = 300
DEMO_CSV = BASE_DIR / "qifu" / "assistant" / "data" / "faq_demo.csv"
EVALUATION_CSV = BASE_DIR / "qifu" / "assistant" / "data" / "evaluation.csv"
SYNTHETIC_VECTORS = BENCH_DIR / "assistant_vectors.npz"
TOWNS = ("崖头街道", "城西街道", "宁津街道", "港湾街道", "桃园街道", "王连街道", "东山街道",
         "斥山街道", "俚岛镇", "成山镇", "埠柳镇", "港西镇", "夏庄镇", "崂山街道", "石岛管理区",
         "人和镇", "荫子镇", "滕家镇", "大疃镇", "上庄镇", "虎山镇", "寻山街道")  # fmt: skip
INDUSTRIES = ("海洋食品", "远洋渔业", "房车制造", "汽车零部件", "船舶修造", "核电配套", "文化旅游",
              "海带养殖", "轮胎橡胶", "新材料", "医药健康", "物流运输", "电子商务", "机械加工",
              "建材", "纺织服装", "住宿餐饮", "批发零售", "软件信息", "建筑施工", "农产品加工",
              "海洋生物", "港口航运", "风电装备")  # fmt: skip


@dataclass(frozen=True)
class SplitScore:
    paraphrases: int
    accuracy: float  # answered with the expected entry
    wrong: float  # answered with another entry
    asked_back: float  # "您是不是想问" offered (not answered)
    asked_back_with_right_one: float  # … and the expected entry was among the three
    uncovered: int
    handoff: float  # uncovered questions not answered
    # … of which the page asked back first ("您是不是想问", with 转人工 as the way out)
    handoff_asked_back: float


@dataclass(frozen=True)
class AssistantMeasurement:
    tune: SplitScore
    test: SplitScore
    entries: int
    p50_ms: float
    p95_ms: float


def _rows(path: Any) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _ask(server: Any, question: str) -> dict[str, Any]:
    body = json.dumps({"question": question}).encode()
    request = Request("POST", "/api/v1/assistant/ask", {"Content-Type": "application/json"}, body)
    status, content = send(server.host, server.port, request)
    if status != 200:
        raise BenchError(f"assistant ask: HTTP {status} {content[:300]!r}")
    return dict(json.loads(content))


def score_split(rows: list[dict[str, str]], replies: dict[str, dict[str, Any]]) -> SplitScore:
    """Accuracy and hand-off of one split from the API's replies."""
    para = [r for r in rows if r["expected"]]
    unc = [r for r in rows if not r["expected"]]

    def share(items: list[dict[str, str]], test: Any) -> float:
        if not items:
            return 0.0
        return round(sum(1 for r in items if test(r, replies[r["question"]])) / len(items), 4)

    def offered(r: dict[str, str], a: dict[str, Any]) -> bool:
        return r["expected"] in [s["question"] for s in a["suggestions"]]

    return SplitScore(
        paraphrases=len(para),
        accuracy=share(para, lambda r, a: a["answered"] and a["question"] == r["expected"]),
        wrong=share(para, lambda r, a: a["answered"] and a["question"] != r["expected"]),
        asked_back=share(para, lambda r, a: not a["answered"] and bool(a["suggestions"])),
        asked_back_with_right_one=share(para, lambda r, a: not a["answered"] and offered(r, a)),
        uncovered=len(unc),
        handoff=share(unc, lambda r, a: not a["answered"]),
        handoff_asked_back=share(unc, lambda r, a: not a["answered"] and bool(a["suggestions"])),
    )


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1]


def measure_over_http(*, server: Any, env: dict[str, str]) -> AssistantMeasurement:
    """Both measurements against the running gunicorn (see the module docstring)."""
    rows = _rows(EVALUATION_CSV)
    replies = {r["question"]: _ask(server, r["question"]) for r in rows}
    tune = score_split([r for r in rows if r["split"] == "tune"], replies)
    test = score_split([r for r in rows if r["split"] == "test"], replies)

    grown = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "qifu.bench.assistant", "--grow", str(ENTRIES)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if grown.returncode != 0:
        raise BenchError(f"growing the knowledge base failed:\n{grown.stdout}\n{grown.stderr}")
    entries = int(grown.stdout.strip().splitlines()[-1])
    questions = [r["question"] for r in rows]
    for question in questions[:8]:  # each worker rebuilds its index from the stored vectors
        _ask(server, question)
    timings = []
    for i in range(LATENCY_QUESTIONS):
        started = time.perf_counter()
        _ask(server, questions[(i * 7) % len(questions)])
        timings.append((time.perf_counter() - started) * 1000)
    return AssistantMeasurement(
        tune=tune,
        test=test,
        entries=entries,
        p50_ms=round(statistics.median(timings), 2),
        p95_ms=round(_percentile(timings, 95), 2),
    )


def _row(name: str, value: float, unit: str) -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit, "baseline": None, "ratio": None}


def assistant_rows(m: AssistantMeasurement) -> list[dict[str, Any]]:
    """results.json rows (no HTTP baseline: accuracy is not a speed)."""
    return [
        _row("assistant_tune_accuracy", round(m.tune.accuracy * 100, 1), "%"),
        _row("assistant_tune_handoff", round(m.tune.handoff * 100, 1), "%"),
        _row("assistant_test_accuracy", round(m.test.accuracy * 100, 1), "%"),
        _row("assistant_test_handoff", round(m.test.handoff * 100, 1), "%"),
        _row("assistant_test_wrong", round(m.test.wrong * 100, 1), "%"),
        _row("assistant_test_asked_back", round(m.test.asked_back * 100, 1), "%"),
        _row(f"assistant_http_p50_{m.entries}", m.p50_ms, "ms"),
        _row(f"assistant_http_p95_{m.entries}", m.p95_ms, "ms"),
    ]


def summary(m: AssistantMeasurement) -> str:
    def line(name: str, s: SplitScore) -> str:
        return (
            f"{name}：{s.paraphrases} 个问法 top-1 准确率 {s.accuracy:.1%}（答错 {s.wrong:.1%}，"
            f"反问 {s.asked_back:.1%}，其中含正确条目 {s.asked_back_with_right_one:.1%}）；"
            f"{s.uncovered} 个知识库未覆盖的问题转人工 {s.handoff:.1%}"
            f"（其中先反问 {s.handoff_asked_back:.1%}）"
        )

    return "\n".join(
        [
            "我要咨询（HTTP，153 条演示知识库）",
            line("  调优集", m.tune),
            line("  测试集", m.test),
            f"  {m.entries} 条知识库时每问 HTTP 往返 p50 {m.p50_ms} ms，p95 {m.p95_ms} ms",
        ]
    )


# --- Child-process steps (Django set up) -------------------------------------------------------


def _django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qifu.settings")
    django.setup()


def _synthetic_rows(total: int, demo: list[dict[str, str]]) -> list[dict[str, str]]:
    """Demo entries prefixed with a town and an industry, until the base has `total`."""
    rows: list[dict[str, str]] = []
    seen = {r["question"] for r in demo}
    i = 0
    while len(rows) < total - len(demo):
        r = demo[i % len(demo)]
        town = TOWNS[i // len(demo) % len(TOWNS)]
        prefix = f"{town}{INDUSTRIES[i // 7 % len(INDUSTRIES)]}企业"
        i += 1
        if prefix + r["question"] in seen:  # the same town and industry came round again
            continue
        seen.add(prefix + r["question"])
        similar = r["similar_questions"].split("|")[0]
        rows.append(
            {
                "question": f"{prefix}{r['question']}",
                "answer": r["answer"],
                "category": r["category"],
                "similar_questions": f"{prefix}{similar}",
            }
        )
    return rows


def _embed_chunk(texts: list[str]) -> Any:
    from qifu.assistant.engine import embedder, pack_array

    return pack_array(embedder.encode(texts))


def grow(total: int) -> int:
    """Add synthetic entries until the live base has `total`; vectors cached in var/bench/."""
    _django()
    import numpy as np

    from qifu.assistant import engine
    from qifu.assistant.models import Faq
    from qifu.assistant.services import faq_import

    rows = _synthetic_rows(total, _rows(DEMO_CSV))
    texts = [t for r in rows for t in (r["question"], r["similar_questions"])]
    engine.embedder.seed(SYNTHETIC_VECTORS)
    missing = [t for t in texts if t not in engine.embedder._memo]
    if missing:  # both cores: the first run embeds about 10,000 texts
        half = len(missing) // 2
        with ProcessPoolExecutor(max_workers=2) as pool:
            parts = list(pool.map(_embed_chunk, [missing[:half], missing[half:]]))
        for text, vector in zip(missing, np.vstack(parts), strict=True):
            engine.embedder._memo[text] = vector.astype(np.float32)
        engine.embedder.save(SYNTHETIC_VECTORS, texts)
    faq_import(rows=rows)
    return Faq.objects.live().count()


def calibrate() -> dict[str, float]:
    """Refit on the tuning split: P(top-1 right | cosine) as a logistic curve, and the cosine
    that best balances accuracy and hand-off there (the answer threshold)."""
    import numpy as np

    from qifu.assistant.engine import Entry, Index

    demo = _rows(DEMO_CSV)
    index = Index.build(
        Entry(i, r["question"], r["answer"], tuple(r["similar_questions"].split("|")))
        for i, r in enumerate(demo)
    )
    tune = [r for r in _rows(EVALUATION_CSV) if r["split"] == "tune"]
    matches = [index.search(r["question"]) for r in tune]
    x = np.array([m.cosine for m in matches])
    y = np.array(
        [1.0 if m.question == r["expected"] else 0.0 for m, r in zip(matches, tune, strict=True)]
    )
    design = np.column_stack([x, np.ones_like(x)])
    w = np.zeros(2)
    for _ in range(50):  # Newton's method on the log loss (two parameters)
        p = 1 / (1 + np.exp(-design @ w))
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + 1e-9 * np.eye(2)
        w -= np.linalg.solve(hessian, design.T @ (p - y))

    def balance(cut: float) -> tuple[float, float]:
        para = [(m, r) for m, r in zip(matches, tune, strict=True) if r["expected"]]
        unc = [m for m, r in zip(matches, tune, strict=True) if not r["expected"]]
        acc = sum(m.cosine >= cut and m.question == r["expected"] for m, r in para) / len(para)
        handoff = sum(m.cosine < cut for m in unc) / len(unc)
        return min(acc, handoff), acc + handoff

    cut = max(sorted(set(x.tolist())), key=balance)
    return {"CAL_A": round(float(w[0]), 2), "CAL_B": round(float(w[1]), 2), "cosine": cut}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m qifu.bench.assistant")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--grow", type=int, help="grow the bench base to N entries")
    group.add_argument("--calibrate", action="store_true", help="refit the confidence curve")
    group.add_argument("--demo-vectors", action="store_true", help="rewrite the demo vectors")
    args = parser.parse_args(argv)
    if args.grow:
        print(grow(args.grow))
    elif args.calibrate:
        print(json.dumps(calibrate()))
    else:
        from qifu.assistant.engine import DEMO_VECTORS, embedder, phrasings

        texts = [
            t
            for r in _rows(DEMO_CSV)
            for t in phrasings(r["question"], r["similar_questions"].split("|"))
        ]
        embedder.save(DEMO_VECTORS, texts)
        print(f"{len(texts)} vectors → {DEMO_VECTORS}")


if __name__ == "__main__":
    main()
