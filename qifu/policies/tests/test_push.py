from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qifu.notifications.models import Notification
from qifu.notifications.sms import MemoryBackend
from qifu.policies.imports import clean_policy_row, policy_issuers_by_name
from qifu.policies.models import Policy, PolicyMute, PolicySubscription
from qifu.policies.services import policy_import
from qifu.publishing import services as publishing

pytestmark = pytest.mark.django_db

NEW_POLICY = {
    "code": "PUSH-1",
    "title": "海洋食品出口奖励",
    "issuer": "荣成市工业和信息化局",
    "published_on": "2026-06-15",
    "industries": ["C13"],
    "criteria": {"scales": ["small"]},
    "tags": ["海洋食品", "出口"],
    "body": "对海洋食品出口企业给予奖励。",
}


@pytest.fixture
def people(dataset, make_user) -> dict[str, Any]:
    return {
        "seafood": make_user(dataset["seafood"], phone="13900000011"),
        "rv": make_user(dataset["rv"]),
        "startup": make_user(dataset["startup"]),
    }


def publish(superuser: Any, capture: Any, row: dict[str, Any] = NEW_POLICY) -> Policy:
    with capture(execute=True):
        policy_import(data=clean_policy_row(row, issuers=policy_issuers_by_name()), actor=superuser)
    return Policy.objects.get(code=row["code"])


def inbox(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_publishing_a_policy_reaches_an_eligible_enterprises_inbox_and_phone(
    people, superuser, django_capture_on_commit_callbacks
):
    publish(superuser, django_capture_on_commit_callbacks)
    assert inbox(people["seafood"]) == ["新政策：海洋食品出口奖励"]
    assert inbox(people["rv"]) == [] and inbox(people["startup"]) == []
    assert any("海洋食品出口奖励" in m.text for m in MemoryBackend.outbox)


def test_a_subscriber_hears_once_even_when_also_eligible(
    people, superuser, django_capture_on_commit_callbacks
):
    PolicySubscription.objects.create(user=people["rv"], kind="tag", value="出口")
    PolicySubscription.objects.create(user=people["seafood"], kind="industry", value="C1361")
    PolicySubscription.objects.create(user=people["startup"], kind="keyword", value="房车")
    publish(superuser, django_capture_on_commit_callbacks)
    assert len(inbox(people["seafood"])) == 1
    assert inbox(people["rv"]) == ["新政策：海洋食品出口奖励"]
    assert inbox(people["startup"]) == []


def test_a_muted_tag_silences_the_push(people, superuser, django_capture_on_commit_callbacks):
    PolicyMute.objects.create(user=people["seafood"], tag="出口")
    publish(superuser, django_capture_on_commit_callbacks)
    assert inbox(people["seafood"]) == []


def test_publishing_through_review_pushes_too(
    on_today, people, department_admin, superuser, client_for, django_capture_on_commit_callbacks
):
    client_for(department_admin).post(
        reverse("policies:new"),
        {"code": "PUSH-2", "title": "小型企业奖励", "published_on": "2026-06-15",
         "body": "正文", "scales": ["small"]},
    )  # fmt: skip
    policy = Policy.objects.get(code="PUSH-2")
    publishing.publication_submit(item=policy, actor=department_admin)
    publishing.publication_approve(item=policy, actor=superuser)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publication_publish(item=policy, actor=superuser)
    assert inbox(people["seafood"]) == ["新政策：小型企业奖励"]
    assert inbox(people["startup"]) == []


def test_users_manage_their_own_subscriptions_and_mutes(people, client_for):
    client = client_for(people["seafood"])
    page = reverse("policies:subscriptions")
    response = client.post(
        reverse("policies:subscription_add"), {"kind": "department", "value": "工信局"}
    )
    assert response.status_code == 302
    subscription = PolicySubscription.objects.get(user=people["seafood"])
    assert subscription.value == "荣成市工业和信息化局"
    bad = client.post(reverse("policies:subscription_add"), {"kind": "industry", "value": "13"})
    assert bad.status_code == 400 and "行业代码应符合" in bad.content.decode()
    client.post(reverse("policies:mute_add"), {"tag": "出口"})
    assert "#出口" in client.get(page).content.decode()
    other = client_for(people["rv"])
    remove = reverse("policies:subscription_remove", args=[subscription.pk])
    assert other.post(remove).status_code == 404
    assert client.post(remove).status_code == 302
    assert not PolicySubscription.objects.exists()
    mute = PolicyMute.objects.get()
    assert other.post(reverse("policies:mute_remove", args=[mute.pk])).status_code == 404


def test_subscriptions_require_signing_in(db):
    response = Client().get(reverse("policies:subscriptions"))
    assert response.status_code == 302 and "login" in response["Location"]
