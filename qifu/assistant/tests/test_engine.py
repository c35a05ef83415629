from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.urls import resolve

from qifu.assistant import engine
from qifu.assistant.engine import Entry, Index
from qifu.assistant.models import Faq
from qifu.assistant.services import faq_import

EVALUATION = Path(__file__).resolve().parents[1] / "data" / "evaluation.csv"
DEMO_CSV = EVALUATION.with_name("faq_demo.csv")


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


def test_every_demo_entry_answers_its_own_question_and_similar_questions(demo_base: None) -> None:
    index = engine.live_index()
    for faq in Faq.objects.live():
        for text in (faq.question, *faq.similar_questions):
            match = index.search(text)
            assert match.answered and match.faq_id == faq.pk, text


def test_demo_links_are_pages_of_the_platform(demo_base: None) -> None:
    links = [f.link for f in Faq.objects.exclude(link="")]
    assert len(links) >= 80
    for link in links:
        resolve(link.split("?")[0])


def test_a_colloquial_paraphrase_finds_the_entry_by_meaning() -> None:
    index = Index.build(
        [
            Entry(faq_id=1, question="企业营业执照丢了怎么补办", answer="甲"),
            Entry(faq_id=2, question="社会保险单位登记怎么办理", answer="乙"),
            Entry(faq_id=3, question="高新技术企业认定条件有哪些", answer="丙"),
        ]
    )
    match = index.search("执照弄丢了咋办")
    assert match.faq_id == 1 and match.answered and 0 < match.score <= 1
    assert match.phrasing == "企业营业执照丢了怎么补办"
    assert not index.search("今晚有什么足球比赛").answered


def test_unsure_questions_ask_back_with_three_entries(demo_base: None) -> None:
    # "交了材料几天出照" sits between the floor and the answer threshold (tuning split).
    match = engine.live_index().search("交了材料几天出照")
    assert not match.answered and match.ask_back
    assert len(match.suggestions) == 3
    assert "设立登记多久能拿到营业执照" in [c.question for c in match.suggestions]


def test_confidence_is_monotonic_and_bounded() -> None:
    values = [engine.confidence(c / 100) for c in range(80, 101)]
    assert values == sorted(values) and 0 < values[0] < values[-1] < 1
    assert engine.confidence(0.95) >= engine.THRESHOLD > engine.FLOOR >= engine.confidence(0.89)


def test_an_empty_index_answers_nothing() -> None:
    match = Index.build([]).search("怎么注销公司")
    assert not match.answered and match.faq_id is None and match.score == 0.0


@pytest.mark.django_db
def test_the_index_is_rebuilt_when_the_base_changes(db: Any) -> None:
    faq_import(rows=[{"question": "营业执照遗失补领", "answer": "到窗口补领"}])
    assert engine.live_index().search("营业执照丢了").faq_id is not None
    faq_import(rows=[{"question": "社会保险单位登记", "answer": "网上办理"}], replace=True)
    assert engine.live_index().search("社保单位登记").answered
    assert engine.live_index().search("营业执照丢了").question == "社会保险单位登记"


@pytest.mark.django_db
def test_vectors_are_stored_once_and_recomputed_when_the_phrasings_change(db: Any) -> None:
    faq_import(
        rows=[{"question": "营业执照遗失补领", "answer": "甲", "similar_questions": "执照丢了"}]
    )
    faq = Faq.objects.get()
    assert len(engine.unpack(faq.vectors)) == 2
    key = faq.vectors_key
    assert engine.vectors_refresh([faq]) == 0
    faq_import(
        rows=[{"question": "营业执照遗失补领", "answer": "甲", "similar_questions": "执照没了"}]
    )
    faq.refresh_from_db()
    assert faq.vectors_key != key


def test_the_shipped_demo_vectors_cover_every_demo_phrasing() -> None:
    # After editing faq_demo.csv: python -m qifu.bench.assistant --demo-vectors
    with np.load(engine.DEMO_VECTORS, allow_pickle=False) as data:
        assert str(data["model"]) == engine.MODEL_ID
        shipped = {str(t) for t in data["texts"]}
    with DEMO_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            texts = engine.phrasings(row["question"], row["similar_questions"].split("|"))
            assert set(texts) <= shipped, row["question"]
