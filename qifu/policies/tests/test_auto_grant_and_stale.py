from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from qifu.core.models import AuditEvent
from qifu.notifications.models import Notification
from qifu.policies.imports import clean_policy_row, policy_issuers_by_name
from qifu.policies.models import AutoGrant, AutoGrantStatus, Policy
from qifu.policies.services import policy_flag_stale, policy_import

pytestmark = pytest.mark.django_db

AUTO = {
    "code": "AUTO-1",
    "title": "小微企业稳岗返还（免申即享）",
    "issuer": "荣成市工业和信息化局",
    "published_on": "2026-06-15",
    "criteria": {"scales": ["small", "micro"]},
    "is_auto_grant": True,
}


@pytest.fixture
def auto_policy(dataset, superuser, django_capture_on_commit_callbacks) -> Policy:
    with django_capture_on_commit_callbacks(execute=True):
        policy_import(
            data=clean_policy_row(AUTO, issuers=policy_issuers_by_name()), actor=superuser
        )
    return Policy.objects.get(code="AUTO-1")


def test_publishing_an_auto_grant_policy_lists_the_eligible_enterprises(dataset, auto_policy):
    listed = set(AutoGrant.objects.values_list("enterprise__credit_code", flat=True))
    assert listed == {dataset["seafood"].credit_code, dataset["startup"].credit_code}
    assert set(AutoGrant.objects.values_list("status", flat=True)) == {AutoGrantStatus.LISTED}


def test_the_issuing_department_confirms_and_the_enterprise_sees_it_as_enjoyed(
    dataset, auto_policy, client_for, department_admin, make_user
):
    staff = client_for(department_admin)
    page = reverse("policies:auto_grant", args=[auto_policy.pk])
    assert dataset["seafood"].name in staff.get(page).content.decode()
    grant = AutoGrant.objects.get(enterprise=dataset["seafood"])
    assert staff.post(page, {"grant": [grant.pk]}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == AutoGrantStatus.CONFIRMED and grant.confirmed_by == department_admin
    assert AuditEvent.objects.filter(action="policies.auto_grant.confirm").count() == 1
    staff.post(page, {"grant": [grant.pk]})  # a second click confirms nothing twice
    assert AuditEvent.objects.filter(action="policies.auto_grant.confirm").count() == 1
    body = client_for(make_user(dataset["seafood"])).get(reverse("policies:matches"))
    assert "已享受（免申即享）" in body.content.decode()


def test_other_departments_and_enterprises_cannot_confirm(
    auto_policy, client_for, other_department_admin, enterprise_user
):
    page = reverse("policies:auto_grant", args=[auto_policy.pk])
    assert client_for(other_department_admin).get(page).status_code == 404
    assert client_for(enterprise_user).post(page, {"grant": ["1"]}).status_code == 403
    assert Client().get(page).status_code == 302
    assert not AutoGrant.objects.filter(status=AutoGrantStatus.CONFIRMED).exists()


def test_the_stale_job_reminds_the_issuer_once_a_year(dataset, department_admin):
    with time_machine.travel(dt.datetime(2027, 6, 20, 2, 0, tzinfo=dt.UTC), tick=False):
        first = policy_flag_stale()
        assert first == Policy.objects.filter(status="published").count()
        assert policy_flag_stale() == 0
    reminders = Notification.objects.filter(user=department_admin, title="政策需要复核")
    assert reminders.count() == first
    with time_machine.travel(dt.datetime(2028, 6, 21, 2, 0, tzinfo=dt.UTC), tick=False):
        assert policy_flag_stale() == first


def test_the_stale_job_leaves_recently_reviewed_policies_alone(dataset: Any):
    with time_machine.travel(dt.datetime(2027, 1, 1, 2, 0, tzinfo=dt.UTC), tick=False):
        assert policy_flag_stale() == 0
