from __future__ import annotations

import pytest

from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications"


def _make(user, title="消息", **fields):
    return Notification.objects.create(user=user, kind="generic", title=title, **fields)


def test_listing_notifications_needs_a_token(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_list_shows_own_notifications_newest_first(
    enterprise_user, other_enterprise_user, api_client_for, office_hours
):
    first = _make(enterprise_user, "第一条")
    second = _make(enterprise_user, "第二条", url="/appeals/2/")
    _make(other_enterprise_user, "别人的")

    body = api_client_for(enterprise_user).get(URL).json()

    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [second.pk, first.pk]
    item = body["items"][0]
    assert item["url"] == "/appeals/2/"
    assert item["is_read"] is False
    assert item["created_at"] == "2026-11-26T10:00:00+08:00"


def test_list_filters_unread_and_read(enterprise_user, api_client_for, office_hours):
    unread = _make(enterprise_user, "未读")
    read = _make(enterprise_user, "已读", read_at=office_hours)
    client = api_client_for(enterprise_user)

    assert [i["id"] for i in client.get(URL, {"unread": "true"}).json()["items"]] == [unread.pk]
    assert [i["id"] for i in client.get(URL, {"unread": "false"}).json()["items"]] == [read.pk]


def test_list_is_paginated(enterprise_user, api_client_for):
    Notification.objects.bulk_create(
        Notification(user=enterprise_user, kind="generic", title=str(i)) for i in range(25)
    )

    body = api_client_for(enterprise_user).get(URL).json()

    assert body["count"] == 25
    assert len(body["items"]) == 20


def test_marking_read_sets_the_time(enterprise_user, api_client_for, office_hours):
    item = _make(enterprise_user)

    response = api_client_for(enterprise_user).post(f"{URL}/{item.pk}/read")

    assert response.status_code == 200
    assert response.json()["read_at"] == "2026-11-26T10:00:00+08:00"
    item.refresh_from_db()
    assert item.read_at == office_hours


def test_marking_another_users_notification_read_is_404(
    enterprise_user, other_enterprise_user, api_client_for
):
    item = _make(other_enterprise_user)

    response = api_client_for(enterprise_user).post(f"{URL}/{item.pk}/read")

    assert response.status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_marking_read_needs_a_token(client, enterprise_user):
    item = _make(enterprise_user)
    assert client.post(f"{URL}/{item.pk}/read").status_code == 401


def test_read_all_marks_only_own_notifications(
    enterprise_user, other_enterprise_user, api_client_for
):
    _make(enterprise_user)
    _make(enterprise_user)
    theirs = _make(other_enterprise_user)

    response = api_client_for(enterprise_user).post(f"{URL}/read-all")

    assert response.json() == {"marked": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/notifications" in paths
    assert "/api/v1/notifications/{notification_id}/read" in paths
