from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db

INBOX = "/notifications/"


def _make(user, n=1, **fields):
    items = [
        Notification(
            user=user, kind="generic", **{"title": f"消息{i}", "body": f"内容{i}", **fields}
        )
        for i in range(n)
    ]
    created = Notification.objects.bulk_create(items)
    return created[0] if n == 1 else created


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_visitor_cannot_mark_anything_read(client, enterprise_user):
    item = _make(enterprise_user)
    response = client.post(f"{INBOX}{item.pk}/open/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    item.refresh_from_db()
    assert item.read_at is None


def test_inbox_lists_own_notifications_newest_first_with_unread_in_bold(
    enterprise_user, other_enterprise_user, client_for, time_machine, office_hours
):
    old = _make(enterprise_user, title="较早的消息")
    time_machine.move_to(office_hours + timedelta(minutes=5), tick=False)
    new = _make(enterprise_user, title="最新的消息", read_at=office_hours)
    _make(other_enterprise_user, title="别人的消息")

    page = client_for(enterprise_user).get(INBOX).content.decode()

    assert page.index("最新的消息") < page.index("较早的消息")
    assert "别人的消息" not in page
    assert f'action="/notifications/{old.pk}/open/"' in page
    assert page.count("notification-title fw-bold") == 1
    assert f'action="/notifications/{new.pk}/open/"' in page


def test_unread_filter_hides_read_notifications(enterprise_user, client_for, office_hours):
    _make(enterprise_user, title="未读消息")
    _make(enterprise_user, title="已读消息", read_at=office_hours)

    page = client_for(enterprise_user).get(INBOX, {"unread": "1"}).content.decode()

    assert "未读消息" in page
    assert "已读消息" not in page


def test_inbox_is_paginated_by_twenty(enterprise_user, client_for):
    _make(enterprise_user, 25)
    client = client_for(enterprise_user)

    first = client.get(INBOX).context["page"]
    second = client.get(INBOX, {"page": 2}).context["page"]

    assert len(first.object_list) == 20
    assert len(second.object_list) == 5


def test_inbox_query_count_does_not_grow_with_the_number_of_notifications(
    enterprise_user, client_for, django_assert_num_queries
):
    client = client_for(enterprise_user)
    client.get(INBOX)  # the first request of a session writes it; later ones are steady
    _make(enterprise_user, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(INBOX).status_code == 200

    _make(enterprise_user, 30)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(INBOX)


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    enterprise_user, client_for, office_hours
):
    item = _make(enterprise_user, url="/appeals/1/")

    response = client_for(enterprise_user).post(f"{INBOX}{item.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == "/appeals/1/"
    item.refresh_from_db()
    assert item.read_at == office_hours


def test_a_notification_without_a_link_opens_back_to_the_inbox(enterprise_user, client_for):
    item = _make(enterprise_user)
    response = client_for(enterprise_user).post(f"{INBOX}{item.pk}/open/")
    assert response["Location"] == INBOX


def test_a_link_to_another_site_is_not_followed(enterprise_user, client_for):
    item = _make(enterprise_user, url="https://evil.example.com/")
    response = client_for(enterprise_user).post(f"{INBOX}{item.pk}/open/")
    assert response["Location"] == INBOX


def test_opening_another_users_notification_is_404(
    enterprise_user, other_enterprise_user, client_for
):
    item = _make(other_enterprise_user)

    response = client_for(enterprise_user).post(f"{INBOX}{item.pk}/open/")

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_opening_by_get_is_not_allowed(enterprise_user, client_for):
    item = _make(enterprise_user)
    assert client_for(enterprise_user).get(f"{INBOX}{item.pk}/open/").status_code == 405


def test_mark_all_read_marks_only_own_notifications(
    enterprise_user, other_enterprise_user, client_for
):
    _make(enterprise_user, 3)
    theirs = _make(other_enterprise_user)

    response = client_for(enterprise_user).post(f"{INBOX}read-all/", follow=True)

    assert "已将 3 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=enterprise_user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_header_shows_the_unread_count(enterprise_user, client_for, office_hours):
    _make(enterprise_user, 3)
    _make(enterprise_user, read_at=office_hours)

    page = client_for(enterprise_user).get("/").content.decode()

    assert '<span class="badge bg-red text-red-fg ms-1">3<span class="visually-hidden">' in page


def test_header_caps_a_large_unread_count(enterprise_user, client_for):
    _make(enterprise_user, 120)
    page = client_for(enterprise_user).get("/").content.decode()
    assert ">99+<" in page


def test_workbench_shows_the_unread_count_with_a_link_to_the_inbox(enterprise_user, client_for):
    _make(enterprise_user, 2)

    response = client_for(enterprise_user).get("/workbench/")

    panel = next(p for p in response.context["panels"] if p.title == "消息通知")
    assert panel.counters[0].value == 2
    assert panel.counters[0].url == "/notifications/?unread=1"
    assert 'href="/notifications/?unread=1">2</a>' in response.content.decode()
