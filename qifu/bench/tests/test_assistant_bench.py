from __future__ import annotations

from qifu.bench.assistant import (
    DEMO_CSV,
    AssistantMeasurement,
    _rows,
    _synthetic_rows,
    assistant_rows,
    score_split,
    summary,
)


def _reply(answered: bool, question: str = "", suggestions: tuple[str, ...] = ()) -> dict:
    return {
        "answered": answered,
        "question": question,
        "suggestions": [{"question": s} for s in suggestions],
    }


def test_a_split_is_scored_by_answer_ask_back_and_hand_off() -> None:
    rows = [
        {"question": "执照丢了", "expected": "营业执照补领"},
        {"question": "执照坏了", "expected": "营业执照补领"},
        {"question": "几天出照", "expected": "多久拿到执照"},
        {"question": "明天下雨吗", "expected": ""},
        {"question": "讲个笑话", "expected": ""},
    ]
    replies = {
        "执照丢了": _reply(True, "营业执照补领"),
        "执照坏了": _reply(True, "企业刻章"),
        "几天出照": _reply(False, suggestions=("多久拿到执照", "企业开办", "刻章")),
        "明天下雨吗": _reply(False),
        "讲个笑话": _reply(True, "平台收费吗"),
    }
    score = score_split(rows, replies)
    assert (score.paraphrases, score.uncovered) == (3, 2)
    assert score.accuracy == round(1 / 3, 4) and score.wrong == round(1 / 3, 4)
    assert score.asked_back == score.asked_back_with_right_one == round(1 / 3, 4)
    assert score.handoff == 0.5


def test_rows_and_summary_name_tuning_test_and_http_latency() -> None:
    split = score_split([{"question": "q", "expected": "e"}], {"q": _reply(True, "e")})
    m = AssistantMeasurement(tune=split, test=split, entries=5000, p50_ms=12.0, p95_ms=30.5)
    names = [row["name"] for row in assistant_rows(m)]
    assert "assistant_tune_accuracy" in names and "assistant_test_accuracy" in names
    assert "assistant_test_handoff" in names and "assistant_http_p95_5000" in names
    assert "测试集" in summary(m) and "p95 30.5 ms" in summary(m)


def test_synthetic_entries_fill_the_base_to_the_total() -> None:
    demo = [
        {"question": f"问题{i}", "answer": "答", "category": "", "similar_questions": "甲|乙"}
        for i in range(10)
    ]
    rows = _synthetic_rows(50, demo)
    assert len(rows) == 40 and len({r["question"] for r in rows}) == 40
    assert all(r["similar_questions"].endswith("甲") for r in rows)


def test_the_synthetic_base_reaches_5000_distinct_entries() -> None:
    demo = _rows(DEMO_CSV)
    rows = _synthetic_rows(5000, demo)
    assert len({r["question"] for r in rows} | {r["question"] for r in demo}) == 5000
