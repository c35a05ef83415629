from __future__ import annotations

import csv
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from qifu.accounts.models import User
from qifu.assistant.models import AskLog, Consultation, Faq

URL = "/api/v1/assistant/ask"


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["question", "answer", "category", "similar_questions"])
        writer.writeheader()
        writer.writerows(rows)
    return path


ROWS = [
    {
        "question": "营业执照遗失怎么补领",
        "answer": "在一窗通申请补领，无需登报。",
        "category": "企业登记",
        "similar_questions": "执照丢了怎么办|营业执照补办",
    },
    {
        "question": "社保单位登记怎么办",
        "answer": "企业开办时一并办理。",
        "category": "社保",
        "similar_questions": "公司社保开户",
    },
]


@pytest.fixture
def base(db: Any, tmp_path: Path) -> None:
    call_command("import_faq", str(_write_csv(tmp_path / "faq.csv", ROWS)), stdout=StringIO())


def test_import_faq_reads_csv_and_splits_similar_questions(base: None) -> None:
    faq = Faq.objects.get(question="营业执照遗失怎么补领")
    assert faq.similar_questions == ["执照丢了怎么办", "营业执照补办"]
    assert faq.category == "企业登记" and faq.status == "approved"


def test_import_faq_twice_updates_and_never_duplicates(base: None, tmp_path: Path) -> None:
    changed = [dict(ROWS[0], answer="新答案"), ROWS[1]]
    out = StringIO()
    call_command("import_faq", str(_write_csv(tmp_path / "again.csv", changed)), stdout=out)
    assert Faq.objects.count() == 2
    assert Faq.objects.get(question=ROWS[0]["question"]).answer == "新答案"
    assert "新增 0 条，更新 1 条" in out.getvalue()


def test_import_faq_replace_removes_entries_missing_from_the_file(
    base: None, tmp_path: Path
) -> None:
    path = _write_csv(tmp_path / "only.csv", [ROWS[1]])
    call_command("import_faq", str(path), "--replace", stdout=StringIO())
    assert list(Faq.objects.values_list("question", flat=True)) == [ROWS[1]["question"]]


def test_import_faq_dry_run_writes_nothing(db: Any, tmp_path: Path) -> None:
    call_command(
        "import_faq", str(_write_csv(tmp_path / "f.csv", ROWS)), "--dry-run", stdout=StringIO()
    )
    assert Faq.objects.count() == 0


def test_import_faq_reads_xlsx(db: Any, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["question", "answer", "category", "similar_questions"])
    sheet.append(["怎么申领发票", "在电子税务局申领。", "税务", "怎么开发票|发票额度"])
    book.save(tmp_path / "faq.xlsx")
    call_command("import_faq", str(tmp_path / "faq.xlsx"), stdout=StringIO())
    assert Faq.objects.get().similar_questions == ["怎么开发票", "发票额度"]


def test_import_faq_refuses_a_file_without_the_answer_column(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("question\n问题\n", encoding="utf-8")
    with pytest.raises(CommandError, match="answer"):
        call_command("import_faq", str(path), stdout=StringIO())


def test_ask_answers_a_known_question_in_the_contract_shape(base: None) -> None:
    response = Client().post(URL, {"question": "执照丢了怎么办？"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    contract = {"answered", "answer", "faq_id", "score", "handoff", "consultation_id"}
    assert contract <= set(body)
    assert body["answered"] is True and body["handoff"] is False
    assert body["faq_id"] == Faq.objects.get(question=ROWS[0]["question"]).pk
    assert body["answer"].startswith("在一窗通") and 0 < body["score"] <= 1
    assert body["consultation_id"] is None
    assert AskLog.objects.get().is_answered


def test_anonymous_off_topic_question_hands_off_without_a_consultation(base: None) -> None:
    response = Client().post(URL, {"question": "明天会下雨吗"}, content_type="application/json")
    body = response.json()
    assert body["answered"] is False and body["handoff"] is True
    assert body["faq_id"] is None and body["answer"] == "" and body["consultation_id"] is None
    assert Consultation.objects.count() == 0


def test_signed_in_hand_off_opens_a_consultation(
    base: None, enterprise_user: User, api_client_for: Callable[[User], Client]
) -> None:
    response = api_client_for(enterprise_user).post(
        URL, {"question": "我们厂房漏水物业不管"}, content_type="application/json"
    )
    body = response.json()
    consultation = Consultation.objects.get()
    assert body["handoff"] is True and body["consultation_id"] == consultation.pk
    assert consultation.enterprise == enterprise_user.enterprise
    assert consultation.messages.get().text == "我们厂房漏水物业不管"


def test_ask_refuses_an_empty_question(db: Any) -> None:
    response = Client().post(URL, {"question": "  "}, content_type="application/json")
    assert response.status_code == 422


def test_a_browser_session_alone_does_not_open_a_consultation_through_the_api(
    base: None, enterprise_user: User, client_for: Callable[[User], Client]
) -> None:
    # Without CSRF checks on this public endpoint, a session must not act for the user.
    body = (
        client_for(enterprise_user)
        .post(URL, {"question": "我们厂房漏水物业不管"}, content_type="application/json")
        .json()
    )
    assert body["handoff"] is True and body["consultation_id"] is None
    assert not Consultation.objects.exists()
