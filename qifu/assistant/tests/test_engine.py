from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from qifu.assistant import engine
from qifu.assistant.engine import Entry, Index, normalize
from qifu.assistant.models import Faq
from qifu.assistant.services import faq_import

HELDOUT = Path(__file__).resolve().parent / "data" / "heldout.csv"
# The held-out paraphrases are not in the base; 0.85 leaves room for a few misses while still
# failing if ranking or synonyms regress (the engine scores 44/45 today). Off-topic questions
# must almost never get a guessed answer: 0.9 (one miss in 17 allowed).
MIN_ACCURACY = 0.85
MIN_OFF_TOPIC_HANDOFF = 0.9


def _heldout() -> tuple[list[tuple[str, str]], list[str]]:
    with HELDOUT.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    on_topic = [(r["question"], r["expected"]) for r in rows if r["expected"]]
    off_topic = [r["question"] for r in rows if not r["expected"]]
    return on_topic, off_topic


def test_heldout_set_is_large_enough_and_unseen(demo_base: None) -> None:
    on_topic, off_topic = _heldout()
    assert len(on_topic) >= 40 and len(off_topic) >= 15
    known = set(Faq.objects.values_list("question", flat=True))
    for faq in Faq.objects.all():
        known.update(faq.similar_questions)
    assert not {q for q, _ in on_topic} & known
    assert {expected for _, expected in on_topic} <= known


def test_heldout_paraphrases_find_the_right_entry(demo_base: None) -> None:
    on_topic, _ = _heldout()
    index = engine.live_index()
    hits = [index.search(q) for q, _ in on_topic]
    correct = sum(
        m.answered and m.question == exp for m, (_, exp) in zip(hits, on_topic, strict=True)
    )
    assert correct / len(on_topic) >= MIN_ACCURACY


def test_off_topic_questions_are_handed_off(demo_base: None) -> None:
    _, off_topic = _heldout()
    index = engine.live_index()
    handed_off = sum(not index.search(q).answered for q in off_topic)
    assert handed_off / len(off_topic) >= MIN_OFF_TOPIC_HANDOFF


def test_demo_base_has_at_least_150_entries_with_similar_questions(demo_base: None) -> None:
    assert Faq.objects.live().count() >= 150
    assert all(2 <= len(f.similar_questions) <= 4 for f in Faq.objects.all())


def test_synonyms_are_unified_without_doubling_the_longer_word() -> None:
    assert normalize("执照丢了") == "营业执照丢了"
    assert normalize("营业执照丢了") == "营业执照丢了"
    assert normalize("社保怎么交") == "社会保险怎么交"


def test_a_synonym_finds_the_entry_written_with_the_other_word() -> None:
    index = Index.build(
        [
            Entry(faq_id=1, question="社会保险单位登记怎么办理", answer="甲"),
            Entry(faq_id=2, question="营业执照遗失补领", answer="乙"),
        ]
    )
    match = index.search("社保登记")
    assert match.faq_id == 1 and match.answered


def test_an_empty_index_answers_nothing() -> None:
    match = Index.build([]).search("怎么注销公司")
    assert not match.answered and match.faq_id is None and match.score == 0.0


@pytest.mark.django_db
def test_the_index_is_rebuilt_when_the_base_changes(db: Any) -> None:
    faq_import(rows=[{"question": "营业执照遗失补领", "answer": "到窗口补领"}])
    assert engine.live_index().search("执照丢了怎么补").answered
    faq_import(rows=[{"question": "社会保险单位登记", "answer": "网上办理"}], replace=True)
    assert not engine.live_index().search("执照丢了怎么补").answered
    assert engine.live_index().search("社保登记").answered
