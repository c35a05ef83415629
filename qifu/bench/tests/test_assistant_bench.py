from __future__ import annotations

from qifu.bench.assistant import assistant_rows, measure_assistant


def test_assistant_bench_reports_accuracy_and_latency_rows() -> None:
    m = measure_assistant(entries=300)
    assert m.entries == 300 and m.accuracy >= 0.85 and m.off_topic_handoff >= 0.9
    assert 0 < m.p50_ms <= m.p95_ms
    names = [row["name"] for row in assistant_rows(m)]
    assert names == ["assistant_accuracy", "assistant_p95_300"]
