"""Online intent registration: the page and the API, robots and limits, the acknowledgement."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qifu.investment.forms import IntentForm
from qifu.investment.models import Lead, LeadNode, Origin, Stage
from qifu.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def form_data(**extra: Any) -> dict[str, Any]:
    data = {
        "name": "Ingrid Solberg",
        "company": "Nordhav Seafood AS",
        "country": "Norway",
        "phone": "",
        "email": "ingrid@example.no",
        "industry": "Frozen seafood",
        "amount": "25000",
        "interest": "New processing plant",
        "message": "We would like to visit in spring.",
        "consent": "on",
        "website": "",
        # Signed ten seconds ago: a person, not a robot that posts at once.
        "stamp": signing.dumps(timezone.now().timestamp() - 10, salt=IntentForm.SALT),
    }
    data.update(extra)
    return data


def test_an_intent_on_the_english_page_becomes_a_lead_with_a_reference(
    client: Client, investment_admin: Any
) -> None:
    response = client.post("/en/invest/intent/", form_data())
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.origin == Origin.INTENT and lead.stage == Stage.LEAD
    assert lead.country == "挪威" and lead.language == "en"
    page = client.get(response["Location"])
    assert lead.reference in page.content.decode() and "Reference number" in page.content.decode()
    # 商务局 is told at once; the investor gets the reference by e-mail, in English.
    assert Notification.objects.filter(user=investment_admin, title__contains="Nordhav").exists()
    ack = OutboxMessage.objects.get(recipient="ingrid@example.no")
    assert lead.reference in ack.subject and "working day" in ack.body
    # The first-contact clock runs: the 接洽 node is planned, its deadline stored.
    assert LeadNode.objects.get(lead=lead, stage=Stage.CONTACT).planned_on is not None
    assert lead.next_due_at is not None and lead.first_contact_at is None


def test_field_errors_on_the_english_page_are_english(client: Client) -> None:
    response = client.post("/en/invest/intent/", form_data(name="", email="", phone="", consent=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required" in html and "Please read and agree" in html
    assert not Lead.objects.exists()


def test_the_chinese_page_stays_chinese_whatever_the_browser_asks(client: Client) -> None:
    response = client.post("/invest/intent/", form_data(name=""), HTTP_ACCEPT_LANGUAGE="en")
    assert "这个字段是必填项" in response.content.decode()
    other = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="zh-CN"' in other.content.decode()


def test_a_robot_filling_the_hidden_field_is_thanked_but_makes_no_lead(client: Client) -> None:
    response = client.post("/invest/intent/", form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not Lead.objects.exists() and not OutboxMessage.objects.exists()


def test_a_form_sent_back_at_once_is_refused(client: Client) -> None:
    stamp = signing.dumps(timezone.now().timestamp(), salt=IntentForm.SALT)
    response = client.post("/invest/intent/", form_data(stamp=stamp))
    assert response.status_code == 400 and "提交过快" in response.content.decode()
    assert not Lead.objects.exists()


def test_too_many_intents_from_one_address_are_refused(client: Client, settings: Any) -> None:
    settings.INTENT_LIMIT_PER_ADDRESS_HOUR = 2
    for n in range(2):
        assert (
            client.post("/invest/intent/", form_data(email=f"a{n}@example.com")).status_code == 302
        )
    response = client.post("/invest/intent/", form_data(email="a9@example.com"))
    assert response.status_code == 400 and "过于频繁" in response.content.decode()
    assert Lead.objects.count() == 2


def test_the_api_registers_an_intent_without_an_account(client: Client) -> None:
    payload = {
        "name": "周建国",
        "company": "宁波海宸船舶配套股份有限公司",
        "phone": "13805748812",
        "industry": "船舶配套",
        "amount": 35000,
        "message": "拟在荣成新建生产基地",
    }
    response = client.post(
        "/api/v1/investment/intents", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 201
    reference = response.json()["reference"]
    lead = Lead.objects.get(reference=reference)
    assert lead.amount == 35000 and lead.origin == Origin.INTENT
    sms = OutboxMessage.objects.get(recipient="13805748812")
    assert reference in sms.body


def test_the_api_answers_bad_fields_one_by_one(client: Client) -> None:
    payload = {
        "name": "",
        "company": "某公司",
        "industry": "食品",
        "amount": -5,
        "email": "not-an-address",
    }
    response = client.post(
        "/api/v1/investment/intents", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert {"name", "amount", "email"} <= set(detail)
    assert not Lead.objects.exists()


def test_the_api_limits_registrations_per_contact(client: Client, settings: Any) -> None:
    settings.INTENT_LIMIT_PER_CONTACT_DAY = 1
    payload = {"name": "张三", "company": "甲公司", "email": "x@example.com", "industry": "食品"}
    first = client.post(
        "/api/v1/investment/intents", json.dumps(payload), content_type="application/json"
    )
    again = client.post(
        "/api/v1/investment/intents",
        json.dumps(payload | {"company": "乙公司"}),
        content_type="application/json",
    )
    assert (first.status_code, again.status_code) == (201, 429)


def test_links_in_the_message_are_limited(client: Client) -> None:
    payload = {
        "name": "张三",
        "company": "甲公司",
        "email": "x@example.com",
        "industry": "食品",
        "message": "http://a http://b http://c",
    }
    response = client.post(
        "/api/v1/investment/intents", json.dumps(payload), content_type="application/json"
    )
    assert response.status_code == 400 and "message" in response.json()["detail"]
