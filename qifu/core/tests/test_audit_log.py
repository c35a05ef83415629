from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from qifu.accounts.models import Role
from qifu.accounts.services import role_grant
from qifu.core.audit import audit_record
from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/audit/"


@pytest.fixture
def auditor(platform_staff):
    role_grant(user=platform_staff, role=Role.AUDITOR)
    platform_staff.__dict__.pop("role_set", None)
    return platform_staff


def test_the_audit_log_cannot_be_updated_through_the_orm():
    event = audit_record(action="test.thing", summary="原文")
    event.summary = "篡改"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="篡改")
    assert AuditEvent.objects.get(pk=event.pk).summary == "原文"


def test_the_audit_log_cannot_be_deleted_through_the_orm():
    event = audit_record(action="test.thing")
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_gives_no_add_change_or_delete_permission_even_to_superusers(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = site._registry[AuditEvent]
    event = audit_record(action="test.thing")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.has_view_permission(request, event)
    assert not model_admin.get_actions(request)


def test_superusers_can_search_the_audit_log_in_the_admin(superuser, client_for):
    audit_record(action="auth.login", username="someone", summary="登录成功")
    client = client_for(superuser)
    response = client.get(reverse("admin:core_auditevent_changelist"), {"q": "someone"})
    assert response.status_code == 200
    assert "someone" in response.content.decode()
    event = AuditEvent.objects.get(actor_username="someone")
    delete = client.post(reverse("admin:core_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_auditor_searches_by_username_action_prefix_outcome_and_dates(auditor, client_for):
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)):
        audit_record(action="auth.login.failed", username="zhangsan", outcome="failure")
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)):
        audit_record(action="auth.login", username="zhangsan")
        audit_record(action="accounts.role.grant", username="zhangsan")
        audit_record(action="auth.login", username="lisi")
    client = client_for(auditor)

    def usernames_actions(**query):
        response = client.get(URL, query)
        assert response.status_code == 200
        return [(e.actor_username, e.action) for e in response.context["events"]]

    assert usernames_actions(username="zhangsan", action="auth.") == [
        ("zhangsan", "auth.login"),
        ("zhangsan", "auth.login.failed"),
    ]
    assert usernames_actions(outcome="failure", username="zhangsan") == [
        ("zhangsan", "auth.login.failed")
    ]
    assert usernames_actions(start="2026-11-24", end="2026-11-25", action="auth.login") == [
        ("lisi", "auth.login"),
        ("zhangsan", "auth.login"),
    ]


def test_a_reversed_date_range_is_shown_next_to_the_field(auditor, client_for):
    response = client_for(auditor).get(URL, {"start": "2026-11-26", "end": "2026-11-01"})
    assert "结束日期不能早于开始日期" in str(response.context["form"].errors["end"])
    assert response.context["events"] == []


def test_the_audit_page_pages_by_id_without_counting(auditor, client_for, settings):
    for i in range(55):
        audit_record(action="test.bulk", username=f"u{i}")
    client = client_for(auditor)
    first = client.get(URL, {"action": "test.bulk"})
    assert len(first.context["events"]) == 50
    assert first.context["next_query"]
    second = client.get(f"{URL}?{first.context['next_query']}")
    assert [e.actor_username for e in second.context["events"]] == [
        f"u{i}" for i in range(4, -1, -1)
    ]
    assert second.context["next_query"] == ""


def test_others_are_refused_the_audit_page(enterprise_user, platform_staff, client_for):
    assert client_for(enterprise_user).get(URL).status_code == 403
    assert client_for(platform_staff).get(URL).status_code == 403


def test_a_superuser_may_read_the_audit_page(superuser, client_for):
    assert client_for(superuser).get(URL).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in():
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_audit_url_name_is_core_audit():
    assert reverse("core:audit") == URL
