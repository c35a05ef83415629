from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from qifu.accounts.models import Department, User
from qifu.assistant.models import AskLog, Consultation, Faq, ProposalStatus
from qifu.assistant.services import faq_import, proposal_decide
from qifu.assistant.tests.conftest import seafood_policy
from qifu.matters.models import Matter

UNSURE = "交了材料几天出照"  # between the floor and the threshold on the demo base


@pytest.fixture
def invoice(db: Any) -> Faq:
    faq_import(rows=[{"question": "怎么申领发票", "answer": "在电子税务局申领数电发票。"}])
    return Faq.objects.get()


def test_home_page_links_the_assistant(db: Any) -> None:
    assert 'href="/assistant/"' in Client().get("/").content.decode()


def test_anonymous_visitor_gets_an_answer_with_votes(invoice: Faq) -> None:
    page = Client().post("/assistant/", {"question": "发票怎么开"}, follow=True).content.decode()
    assert "在电子税务局申领数电发票。" in page and "有用" in page and "没用" in page


def test_asking_redirects_so_a_refresh_does_not_ask_again(invoice: Faq) -> None:
    client = Client()
    response = client.post("/assistant/", {"question": "发票怎么开"})
    assert response.status_code == 303 and response["Location"].startswith("/assistant/#ask-")
    for _ in range(2):  # the refresh is a GET of the conversation
        assert "在电子税务局申领数电发票。" in client.get("/assistant/").content.decode()
    assert AskLog.objects.count() == 1


def test_htmx_ask_returns_only_the_exchange(invoice: Faq) -> None:
    response = Client().post("/assistant/", {"question": "发票怎么开"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "在电子税务局申领数电发票。" in body and "<html" not in body


def test_empty_page_offers_hot_questions_and_categories(demo_base: None) -> None:
    page = Client().get("/assistant/").content.decode()
    assert "热门问题" in page and "按分类查看" in page and "<summary" in page
    assert 'name="question" value="开办企业需要多长时间"' in page


def test_anonymous_hand_off_asks_to_sign_in_and_opens_nothing(invoice: Faq) -> None:
    page = Client().post("/assistant/", {"question": "给我讲个笑话吧"}, follow=True)
    assert "登录" in page.content.decode()
    assert Consultation.objects.count() == 0 and AskLog.objects.get().is_answered is False


def test_empty_question_shows_the_error_next_to_the_field(db: Any) -> None:
    page = Client().post("/assistant/", {"question": ""}).content.decode()
    assert "请输入您的问题。" in page and "id_question_error" in page


def test_a_vote_counts_once_for_the_asker(invoice: Faq) -> None:
    client = Client()
    client.post("/assistant/", {"question": "发票怎么开"})
    log = AskLog.objects.get()
    assert client.post(f"/assistant/vote/{log.pk}/", {"helpful": "1"}).status_code == 303
    assert client.post(f"/assistant/vote/{log.pk}/", {"helpful": "1"}).status_code == 403
    invoice.refresh_from_db()
    assert invoice.helpful_count == 1 and invoice.unhelpful_count == 0


def test_someone_else_cannot_vote_choose_or_hand_off_on_an_answer(
    invoice: Faq, enterprise_user: User, client_for: Callable[[User], Client]
) -> None:
    Client().post("/assistant/", {"question": "发票怎么开"})
    log = AskLog.objects.get()
    other = client_for(enterprise_user)
    assert other.post(f"/assistant/vote/{log.pk}/", {"helpful": "0"}).status_code == 403
    assert other.post(f"/assistant/choose/{log.pk}/", {"faq": invoice.pk}).status_code == 403
    assert other.post(f"/assistant/handoff/{log.pk}/").status_code == 403
    invoice.refresh_from_db()
    assert invoice.unhelpful_count == 0 and not Consultation.objects.exists()


def test_unhelpful_offers_hand_off_at_once_with_the_whole_conversation(
    invoice: Faq, enterprise_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(enterprise_user)
    client.post("/assistant/", {"question": "今天星期几"})
    client.post("/assistant/", {"question": "发票怎么开"})
    log = AskLog.objects.get(question="发票怎么开")
    reply = client.post(f"/assistant/vote/{log.pk}/", {"helpful": "0"}, HTTP_HX_REQUEST="true")
    assert "转人工" in reply.content.decode()
    response = client.post(f"/assistant/handoff/{log.pk}/")
    consultation = Consultation.objects.get(question="发票怎么开")
    assert response["Location"] == f"/assistant/consultations/{consultation.pk}/"
    assert [t["question"] for t in consultation.transcript] == ["今天星期几", "发票怎么开"]
    assert "在电子税务局申领数电发票。" in consultation.transcript[-1]["reply"]
    page = client.get(response["Location"]).content.decode()
    assert "转人工前与智能客服的对话" in page and "今天星期几" in page
    client.post(f"/assistant/handoff/{log.pk}/")  # a second click opens nothing more
    assert Consultation.objects.filter(question="发票怎么开").count() == 1


def test_unsure_question_asks_back_and_the_choice_answers_and_becomes_a_proposal(
    demo_base: None, enterprise_user: User, client_for: Callable[[User], Client], superuser: User
) -> None:
    client = client_for(enterprise_user)
    page = client.post("/assistant/", {"question": UNSURE}, follow=True).content.decode()
    assert "您是不是想问" in page and "转人工" in page
    assert not Consultation.objects.exists()  # the asker decides
    log = AskLog.objects.get()
    target = Faq.objects.get(question="设立登记多久能拿到营业执照")
    assert target.pk in log.suggested_ids and len(log.suggested_ids) == 3
    not_offered = Faq.objects.exclude(pk__in=log.suggested_ids).first()
    assert not_offered is not None
    client.post(f"/assistant/choose/{log.pk}/", {"faq": not_offered.pk})
    log.refresh_from_db()
    assert log.chosen_faq is None
    page = client.post(f"/assistant/choose/{log.pk}/", {"faq": target.pk}, follow=True)
    assert target.answer[:20] in page.content.decode()
    proposal = target.proposals.get()
    assert proposal.text == UNSURE and proposal.status == ProposalStatus.PENDING
    proposal_decide(proposal=proposal, reviewer=superuser, approve=True)
    target.refresh_from_db()
    assert UNSURE in target.similar_questions
    from qifu.assistant import engine

    match = engine.live_index().search(UNSURE)
    assert match.answered and match.faq_id == target.pk


def test_policy_answer_lists_the_enterprises_matched_policies_with_reasons(
    demo_base: None,
    enterprise_user: User,
    agency: Department,
    superuser: User,
    client_for: Callable[[User], Client],
) -> None:
    seafood_policy(issuer=agency, author=superuser)
    page = client_for(enterprise_user).post(
        "/assistant/", {"question": "我们公司能享受啥政策"}, follow=True
    )
    body = page.content.decode()
    assert "平台匹配到以下政策" in body and "荣成市海洋食品产业扶持办法" in body
    assert 'href="/policies/p/RC-T-1/"' in body and "小型" in body
    anonymous = Client().post("/assistant/", {"question": "我们公司能享受啥政策"}, follow=True)
    assert "登录企业账号" in anonymous.content.decode()


def test_a_named_matter_is_cited_from_its_guide(
    invoice: Faq, agency: Department, client_for: Callable[[User], Client], enterprise_user: User
) -> None:
    Matter.objects.create(
        code="JY-002",
        name="食品经营许可",
        department=agency,
        life_stage="operate",
        promised_limit_days=7,
        legal_limit_days=10,
    )
    page = client_for(enterprise_user).post(
        "/assistant/", {"question": "食品经营许可下来要几天"}, follow=True
    )
    body = page.content.decode()
    assert "办事指南" in body and 'href="/matters/JY-002/"' in body and "承诺7个工作日" in body
    assert AskLog.objects.get().sources[0]["title"] == "食品经营许可"


def test_the_conversation_page_reads_a_bounded_number_of_queries(
    demo_base: None, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    for question in ("执照弄丢了咋办", UNSURE, "今天星期几", "数电票怎么开", "社保基数咋算"):
        client.post("/assistant/", {"question": question})
    with django_assert_max_num_queries(6):
        page = client.get("/assistant/").content.decode()
    assert page.count('<article class="card card-sm') == 5
