from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from qifu.accounts.models import User
from qifu.assistant import services
from qifu.assistant.models import Consultation, ConsultationStatus, Faq, FaqStatus
from qifu.notifications.models import Notification

SH = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def consultation(enterprise_user: User) -> Consultation:
    return services.consultation_open(user=enterprise_user, question="厂房租金能不能减免")


@pytest.mark.django_db
def test_within_office_hours_an_answer_is_promised_within_two_hours() -> None:
    assert services.answer_expected_at(at(2026, 11, 26, 10, 0)) == at(2026, 11, 26, 12, 0)


@pytest.mark.django_db
def test_late_in_the_day_the_promise_stops_at_closing_time() -> None:
    assert services.answer_expected_at(at(2026, 11, 26, 16, 0)) == at(2026, 11, 26, 17, 0)


@pytest.mark.django_db
def test_friday_evening_question_is_answered_monday_at_nine() -> None:
    assert services.answer_expected_at(at(2026, 11, 27, 18, 30)) == at(2026, 11, 30, 9, 0)


@pytest.mark.django_db
def test_early_morning_question_is_answered_at_opening() -> None:
    assert services.answer_expected_at(at(2026, 11, 26, 7, 0)) == at(2026, 11, 26, 9, 0)


@time_machine.travel(at(2026, 11, 27, 20, 0), tick=False)
def test_hand_off_outside_hours_tells_the_enterprise_the_next_working_day(
    enterprise_user: User, client_for: Callable[[User], Client]
) -> None:
    response = client_for(enterprise_user).post(
        "/assistant/", {"question": "明天会下雨吗"}, follow=True
    )
    item = Consultation.objects.get()
    assert item.answer_expected_at == at(2026, 11, 30, 9, 0)
    assert (
        "非工作时间" in response.content.decode() and "11月30日 09:00" in response.content.decode()
    )


def test_staff_reply_marks_it_answered_and_notifies_the_asker(
    consultation: Consultation, platform_staff: User, enterprise_user: User
) -> None:
    services.consultation_post(consultation=consultation, author=platform_staff, text="可以申请")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
    note = Notification.objects.get(user=enterprise_user)
    assert "答复" in note.title and note.url == f"/assistant/consultations/{consultation.pk}/"


def test_enterprise_follow_up_reopens_it_without_notifying_itself(
    consultation: Consultation, platform_staff: User, enterprise_user: User
) -> None:
    services.consultation_post(consultation=consultation, author=platform_staff, text="可以申请")
    services.consultation_post(consultation=consultation, author=enterprise_user, text="怎么申请")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN
    assert Notification.objects.filter(user=enterprise_user).count() == 1


def test_another_enterprise_cannot_post_in_a_conversation(
    consultation: Consultation, other_enterprise_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.consultation_post(
            consultation=consultation, author=other_enterprise_user, text="插话"
        )


def test_a_closed_conversation_takes_no_more_messages(
    consultation: Consultation, enterprise_user: User
) -> None:
    services.consultation_close(consultation=consultation, actor=enterprise_user)
    with pytest.raises(ValidationError):
        services.consultation_post(consultation=consultation, author=enterprise_user, text="还在吗")


def test_another_enterprise_cannot_close_a_conversation(
    consultation: Consultation, other_enterprise_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        services.consultation_close(consultation=consultation, actor=other_enterprise_user)
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.OPEN


def test_anonymous_is_sent_to_login_for_conversations(consultation: Consultation) -> None:
    for url in (
        "/assistant/consultations/",
        f"/assistant/consultations/{consultation.pk}/",
        f"/assistant/consultations/{consultation.pk}/messages/",
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_enterprise_gets_404_for_the_conversation(
    consultation: Consultation,
    other_enterprise_user: User,
    client_for: Callable[[User], Client],
) -> None:
    client = client_for(other_enterprise_user)
    assert client.get(f"/assistant/consultations/{consultation.pk}/").status_code == 404
    assert client.get(f"/assistant/consultations/{consultation.pk}/messages/").status_code == 404
    response = client.post(f"/assistant/consultations/{consultation.pk}/", {"text": "插话"})
    assert response.status_code == 404
    assert consultation.messages.count() == 1


def test_enterprise_sends_a_message_and_sees_it_in_the_polled_partial(
    consultation: Consultation, enterprise_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(enterprise_user)
    url = f"/assistant/consultations/{consultation.pk}/"
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 5s"' in page
    assert client.post(url, {"text": "补充：面积2000平方米"}).status_code == 302
    assert "补充：面积2000平方米" in client.get(url + "messages/").content.decode()


def test_staff_queue_lists_every_conversation_with_counts(
    consultation: Consultation,
    other_enterprise_user: User,
    platform_staff: User,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    services.consultation_open(user=other_enterprise_user, question="招工难怎么办")
    client = client_for(platform_staff)
    with django_assert_max_num_queries(12):
        page = client.get("/assistant/consultations/?status=open").content.decode()
    assert "厂房租金能不能减免" in page and "招工难怎么办" in page
    assert '待答复 <span class="badge">2</span>' in page


def test_enterprise_list_shows_only_its_own_conversations(
    consultation: Consultation,
    other_enterprise_user: User,
    client_for: Callable[[User], Client],
) -> None:
    page = client_for(other_enterprise_user).get("/assistant/consultations/").content.decode()
    assert "厂房租金能不能减免" not in page


def test_a_staff_answer_becomes_an_entry_only_after_another_person_reviews_it(
    consultation: Consultation,
    platform_staff: User,
    superuser: User,
    client_for: Callable[[User], Client],
) -> None:
    services.consultation_post(consultation=consultation, author=platform_staff, text="可申请减免")
    client = client_for(platform_staff)
    form = client.get(f"/assistant/faq/new/?consultation={consultation.pk}").content.decode()
    assert "可申请减免" in form
    client.post(
        "/assistant/faq/new/",
        {
            "consultation": consultation.pk,
            "question": "厂房租金可以减免吗",
            "answer": "可申请减免",
            "similar_questions": "租金减免",
        },
    )
    faq = Faq.objects.get(question="厂房租金可以减免吗")
    assert faq.status == FaqStatus.DRAFT and faq.source_consultation == consultation
    client.post(f"/assistant/faq/{faq.pk}/approve/")
    faq.refresh_from_db()
    assert faq.status == FaqStatus.DRAFT
    client_for(superuser).post(f"/assistant/faq/{faq.pk}/approve/")
    faq.refresh_from_db()
    assert faq.status == FaqStatus.APPROVED and faq.reviewer == superuser
    assert services.assistant_ask(question="厂房租金减免").match.faq_id == faq.pk


def test_enterprise_users_cannot_open_the_knowledge_base_pages(
    enterprise_user: User, client_for: Callable[[User], Client]
) -> None:
    client = client_for(enterprise_user)
    assert client.get("/assistant/faq/").status_code == 403
    assert client.get("/assistant/faq/new/").status_code == 403


def test_maintenance_page_shows_answer_and_hand_off_rates(
    platform_staff: User, client_for: Callable[[User], Client]
) -> None:
    services.faq_import(rows=[{"question": "怎么申领发票", "answer": "电子税务局申领"}])
    services.assistant_ask(question="发票怎么申领")
    services.assistant_ask(question="今晚足球比赛")
    page = client_for(platform_staff).get("/assistant/faq/").content.decode()
    assert "回答率 50%" in page and "转人工 50%" in page
