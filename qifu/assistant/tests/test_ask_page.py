from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qifu.assistant.models import AskLog, Consultation, Faq
from qifu.assistant.services import faq_import


@pytest.fixture
def invoice(db: Any) -> Faq:
    faq_import(rows=[{"question": "怎么申领发票", "answer": "在电子税务局申领数电发票。"}])
    return Faq.objects.get()


def test_home_page_links_the_assistant(db: Any) -> None:
    assert 'href="/assistant/"' in Client().get("/").content.decode()


def test_anonymous_visitor_gets_an_answer_with_votes(invoice: Faq) -> None:
    page = Client().post("/assistant/", {"question": "发票怎么开"}).content.decode()
    assert "在电子税务局申领数电发票。" in page and "有用" in page and "没用" in page


def test_htmx_ask_returns_only_the_exchange(invoice: Faq) -> None:
    response = Client().post("/assistant/", {"question": "发票怎么开"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "在电子税务局申领数电发票。" in body and "<html" not in body


def test_anonymous_hand_off_asks_to_sign_in_and_opens_nothing(invoice: Faq) -> None:
    page = Client().post("/assistant/", {"question": "给我讲个笑话吧"}).content.decode()
    assert "转人工客服" in page and "登录" in page
    assert Consultation.objects.count() == 0 and AskLog.objects.get().is_answered is False


def test_empty_question_shows_the_error_next_to_the_field(db: Any) -> None:
    page = Client().post("/assistant/", {"question": ""}).content.decode()
    assert "请输入您的问题。" in page and "id_question_error" in page


def test_a_vote_counts_once_for_the_asker(invoice: Faq) -> None:
    client = Client()
    client.post("/assistant/", {"question": "发票怎么开"})
    log = AskLog.objects.get()
    assert client.post(f"/assistant/vote/{log.pk}/", {"helpful": "1"}).status_code == 302
    assert client.post(f"/assistant/vote/{log.pk}/", {"helpful": "1"}).status_code == 403
    invoice.refresh_from_db()
    assert invoice.helpful_count == 1 and invoice.unhelpful_count == 0


def test_someone_else_cannot_vote_on_an_answer(invoice: Faq) -> None:
    Client().post("/assistant/", {"question": "发票怎么开"})
    log = AskLog.objects.get()
    assert Client().post(f"/assistant/vote/{log.pk}/", {"helpful": "0"}).status_code == 403
    invoice.refresh_from_db()
    assert invoice.unhelpful_count == 0
