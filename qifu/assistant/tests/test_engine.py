from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from qifu.assistant import engine
from qifu.assistant.engine import Entry, Index, normalize
from qifu.assistant.models import Faq
from qifu.assistant.services import faq_import

EVALUATION = Path(__file__).resolve().parents[1] / "data" / "evaluation.csv"


def _evaluation() -> list[dict[str, str]]:
    with EVALUATION.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_evaluation_set_is_large_split_and_unseen(demo_base: None) -> None:
    # Accuracy itself is measured and reported by `make bench`, never asserted here.
    rows = _evaluation()
    test = [r for r in rows if r["split"] == "test"]
    assert len([r for r in test if r["expected"]]) >= 200
    assert len([r for r in test if not r["expected"]]) >= 50
    known = set(Faq.objects.values_list("question", flat=True))
    for faq in Faq.objects.all():
        known.update(faq.similar_questions)
    assert not {r["question"] for r in rows} & known
    assert {r["expected"] for r in rows if r["expected"]} <= known


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
