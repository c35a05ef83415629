"""我要咨询 in a browser: asking back ("您是不是想问"), a policy answer with the enterprise's
matched policies, and 没用 → 转人工 carrying the conversation; the page at desktop and phone width.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.assistant.models import Consultation
from qifu.assistant.services import faq_import, faq_rows_read
from qifu.assistant.tests.conftest import seafood_policy
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DEMO_CSV = Path(settings.BASE_DIR) / "qifu" / "assistant" / "data" / "faq_demo.csv"
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def base(transactional_db: Any, agency: Any, superuser: Any) -> None:
    faq_import(rows=faq_rows_read(DEMO_CSV))
    seafood_policy(issuer=agency, author=superuser, code="RC-B-1")


def _ask(page: Page, question: str) -> None:
    page.get_by_label("您的问题").fill(question)
    page.get_by_role("button", name="提问").click()


def test_ask_back_policy_answer_and_unhelpful_hand_off(
    page: Page, live_server: Any, base: None, enterprise_user: Any
) -> None:
    login(page, live_server, enterprise_user.username, PASSWORD)
    page.goto(f"{live_server.url}/assistant/")
    expect(page.get_by_role("heading", name="热门问题")).to_be_visible()
    assert_accessible(page)

    _ask(page, "交了材料几天出照")
    expect(page.get_by_text("您是不是想问")).to_be_visible()
    page.get_by_role("button", name="设立登记多久能拿到营业执照").click()
    expect(page.get_by_text("材料齐全、符合法定形式的当场登记")).to_be_visible()

    _ask(page, "我们公司能享受啥政策")
    expect(page.get_by_text("平台匹配到以下政策")).to_be_visible()
    link = page.get_by_role("link", name="荣成市海洋食品产业扶持办法")
    expect(link).to_have_attribute("href", "/policies/p/RC-B-1/")
    page.reload()  # a refresh shows the conversation and asks nothing again
    expect(page.get_by_text("平台匹配到以下政策")).to_have_count(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "assistant-desktop.png"), full_page=True)

    exchange = page.locator("article", has_text="我们公司能享受啥政策")
    exchange.get_by_role("button", name="没用").click()
    exchange.get_by_role("button", name="转人工").click()
    expect(page.get_by_text("转人工前与智能客服的对话")).to_be_visible()
    consultation = Consultation.objects.get()
    assert [t["question"] for t in consultation.transcript] == [
        "交了材料几天出照",
        "我们公司能享受啥政策",
    ]
    expect(page.get_by_text("交了材料几天出照")).to_be_visible()


def test_the_assistant_page_on_a_phone(phone_page: Page, live_server: Any, base: None) -> None:
    phone_page.goto(f"{live_server.url}/assistant/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(path=str(SHOTS / "assistant-phone-start.png"), full_page=True)
    _ask(phone_page, "执照弄丢了咋办")
    expect(phone_page.get_by_text("营业执照遗失或毁损的")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert_accessible(phone_page)
    phone_page.screenshot(path=str(SHOTS / "assistant-phone.png"), full_page=True)
