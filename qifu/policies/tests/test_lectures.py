from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from qifu.accounts.models import Role, User
from qifu.accounts.services import user_create
from qifu.notifications.models import Reminder
from qifu.policies.extras.services import (
    lecture_create,
    lecture_register,
    lecture_registration_cancel,
    lecture_update,
)
from qifu.policies.models import LectureRegistration
from qifu.policies.tests.extras_helpers import publish
from qifu.publishing import services as publishing

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)
STARTS = NOW + dt.timedelta(days=2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def lecture(department_admin, superuser):
    item = lecture_create(
        author=department_admin,
        title="专精特新政策宣讲",
        speaker="张老师",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=2),
        place="市民服务中心三楼",
        capacity=2,
    )
    return publish(item, superuser)


def _enterprise_user(enterprise, name: str, phone: str) -> User:
    return user_create(
        username=name,
        password="Test@2026pw",
        roles=[Role.ENTERPRISE_ADMIN],
        enterprise=enterprise,
        validate=False,
        phone=phone,
    )


def test_registering_twice_keeps_one_seat_and_one_reminder(lecture, enterprise_user):
    first = lecture_register(lecture=lecture, user=enterprise_user)
    second = lecture_register(lecture=lecture, user=enterprise_user)
    assert first.pk == second.pk
    assert LectureRegistration.objects.count() == 1
    reminder = Reminder.objects.get()
    assert reminder.key == f"lecture:{lecture.pk}:user:{enterprise_user.pk}"
    assert reminder.remind_at == STARTS - dt.timedelta(hours=1)
    assert first.enterprise_id == enterprise_user.enterprise_id


def test_a_full_lecture_refuses_another_registration(lecture, enterprise, enterprise_user):
    lecture_register(lecture=lecture, user=enterprise_user)
    lecture_register(lecture=lecture, user=_enterprise_user(enterprise, "second_t", "13900000002"))
    with pytest.raises(ValidationError, match="名额已满"):
        lecture_register(
            lecture=lecture, user=_enterprise_user(enterprise, "third_t", "13900000003")
        )
    assert LectureRegistration.objects.count() == 2


def test_registration_closes_when_the_lecture_starts(lecture, enterprise_user, frozen):
    frozen.move_to(STARTS)
    with pytest.raises(ValidationError, match="不能报名"):
        lecture_register(lecture=lecture, user=enterprise_user)


def test_an_unpublished_lecture_takes_no_registrations(department_admin, enterprise_user):
    draft = lecture_create(
        author=department_admin,
        title="草稿讲堂",
        speaker="李老师",
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=1),
        online_url="https://live.example.cn/1",
        capacity=10,
    )
    with pytest.raises(ValidationError):
        lecture_register(lecture=draft, user=enterprise_user)
    assert Client().get(reverse("policies:lecture_detail", args=[draft.pk])).status_code == 404


def test_moving_the_lecture_moves_every_reminder(lecture, enterprise_user, department_admin):
    lecture_register(lecture=lecture, user=enterprise_user)
    later = STARTS + dt.timedelta(days=1)
    lecture_update(
        lecture=lecture,
        actor=department_admin,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=2),
    )
    reminder = Reminder.objects.get()
    assert reminder.remind_at == later - dt.timedelta(hours=1)


def test_cancelling_gives_the_seat_and_the_reminder_back(lecture, enterprise_user):
    lecture_register(lecture=lecture, user=enterprise_user)
    assert lecture_registration_cancel(lecture=lecture, user=enterprise_user) is True
    assert not LectureRegistration.objects.exists() and not Reminder.objects.exists()
    assert lecture_registration_cancel(lecture=lecture, user=enterprise_user) is False


def test_the_replay_link_shows_only_after_the_end(lecture, department_admin, superuser, frozen):
    lecture = lecture_update(
        lecture=lecture, actor=department_admin, replay_url="https://replay.example.cn/9"
    )
    publishing.publication_approve(item=lecture, actor=superuser)
    publishing.publication_publish(item=lecture, actor=superuser)
    url = reverse("policies:lecture_detail", args=[lecture.pk])
    assert "replay.example.cn" not in Client().get(url).content.decode()
    frozen.move_to(STARTS + dt.timedelta(hours=2))
    assert "replay.example.cn/9" in Client().get(url).content.decode()
    past = Client().get(reverse("policies:lectures"), {"when": "past"}).content.decode()
    assert "专精特新政策宣讲" in past and "可看回放" in past


def test_signed_in_users_register_and_cancel_on_the_page(lecture, enterprise_user, client_for):
    client = client_for(enterprise_user)
    url = reverse("policies:lecture_detail", args=[lecture.pk])
    assert "报名</button>" in client.get(url).content.decode()
    client.post(reverse("policies:lecture_register", args=[lecture.pk]))
    client.post(reverse("policies:lecture_register", args=[lecture.pk]))
    assert LectureRegistration.objects.filter(user=enterprise_user).count() == 1
    assert "您已报名" in client.get(url).content.decode()
    client.post(reverse("policies:lecture_cancel", args=[lecture.pk]))
    assert not LectureRegistration.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(lecture):
    response = Client().post(reverse("policies:lecture_register", args=[lecture.pk]))
    assert "login" in response["Location"]
    assert (
        "登录后报名"
        in Client().get(reverse("policies:lecture_detail", args=[lecture.pk])).content.decode()
    )


def test_staff_see_registrations_and_export_them_with_masked_phones(
    lecture, enterprise_user, department_admin, other_department_admin, client_for
):
    lecture_register(lecture=lecture, user=enterprise_user)
    edit = reverse("policies:extra_edit", args=["lectures", lecture.pk])
    page = client_for(department_admin).get(edit).content.decode()
    assert "139****0001" in page and "13900000001" not in page
    export = reverse("policies:lecture_export", args=[lecture.pk])
    response = client_for(department_admin).get(export)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][3] == "139****0001"
    assert client_for(other_department_admin).get(export).status_code == 404
    assert "login" in Client().get(export)["Location"]


def test_enterprise_users_cannot_open_the_staff_pages(lecture, enterprise_user, client_for):
    export = reverse("policies:lecture_export", args=[lecture.pk])
    assert client_for(enterprise_user).get(export).status_code == 403


def test_the_lecture_list_runs_a_bounded_number_of_queries(
    lecture, department_admin, superuser, django_assert_max_num_queries
):
    for n in range(4):
        item = lecture_create(
            author=department_admin,
            title=f"讲堂{n}",
            speaker="王老师",
            starts_at=STARTS,
            ends_at=STARTS + dt.timedelta(hours=1),
            place="会议室",
            capacity=5,
        )
        publish(item, superuser)
    with django_assert_max_num_queries(6):
        response = Client().get(reverse("policies:lectures"))
    assert response.content.decode().count("主讲：") == 5


def test_staff_schedule_a_lecture_on_the_page(department_admin, client_for):
    from qifu.policies.models import Lecture

    data = {
        "title": "出口退税政策讲堂",
        "speaker": "税务局",
        "starts_at": "2026-06-20T09:30",
        "ends_at": "2026-06-20T09:00",
        "place": "",
        "online_url": "",
        "capacity": "30",
    }
    response = client_for(department_admin).post(
        reverse("policies:extra_new", args=["lectures"]), data
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "结束时间应晚于开始时间。" in body and "请填写地点或线上参加链接。" in body
    data.update(ends_at="2026-06-20T11:00", place="会议室")
    response = client_for(department_admin).post(
        reverse("policies:extra_new", args=["lectures"]), data
    )
    lecture = Lecture.objects.get()
    assert response.status_code == 302
    assert lecture.starts_at == dt.datetime(2026, 6, 20, 1, 30, tzinfo=dt.UTC)
