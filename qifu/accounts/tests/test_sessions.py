from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
PAGE = "/accounts/profile/"


def _visit_after(client, traveller, minutes: int):
    traveller.shift(dt.timedelta(minutes=minutes))
    return client.get(PAGE)


def test_an_enterprise_session_idle_for_31_minutes_must_sign_in_again(enterprise_user, client_for):
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(enterprise_user)
        assert client.get(PAGE).status_code == 200
        response = _visit_after(client, traveller, 31)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        assert client.get(PAGE).status_code == 302  # the session really ended
        assert "长时间未操作" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(action="auth.session.timeout", actor=enterprise_user).exists()


def test_activity_slides_the_idle_window(enterprise_user, client_for):
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(enterprise_user)
        client.get(PAGE)
        assert _visit_after(client, traveller, 20).status_code == 200
        assert _visit_after(client, traveller, 20).status_code == 200
        assert _visit_after(client, traveller, 29).status_code == 200


def test_activity_rewrites_the_session_at_most_once_a_minute(enterprise_user, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return sum(
            1
            for q in queries.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith("UPDATE")
        )

    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(enterprise_user)
        client.get(PAGE)
        traveller.shift(dt.timedelta(seconds=30))
        assert session_writes() == 0  # within the minute: nothing to write
        traveller.shift(dt.timedelta(seconds=40))
        assert session_writes() == 1  # past it: the idle window slides
        # The window counts from the recorded activity: 29 minutes later the session is alive.
        assert _visit_after(client, traveller, 29).status_code == 200


def test_an_enterprise_session_survives_16_idle_minutes(enterprise_user, client_for):
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(enterprise_user)
        client.get(PAGE)
        assert _visit_after(client, traveller, 16).status_code == 200


def test_a_staff_session_ends_after_16_idle_minutes(platform_staff, client_for):
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(platform_staff)
        assert client.get(PAGE).status_code == 200
        response = _visit_after(client, traveller, 16)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_superuser_session_ends_after_16_idle_minutes(superuser, client_for):
    with time_machine.travel(START, tick=False) as traveller:
        client = client_for(superuser)
        client.get(PAGE)
        assert _visit_after(client, traveller, 16).status_code == 302


def test_logout_is_post_only_and_ends_the_session(enterprise_user, client_for):
    client = client_for(enterprise_user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(PAGE).status_code == 302
    assert AuditEvent.objects.filter(action="auth.logout", actor=enterprise_user).exists()


def test_a_disabled_account_loses_its_session_at_once(enterprise_user, client_for):
    client = client_for(enterprise_user)
    assert client.get(PAGE).status_code == 200
    enterprise_user.is_active = False
    enterprise_user.save(update_fields=["is_active"])
    assert client.get(PAGE).status_code == 302
