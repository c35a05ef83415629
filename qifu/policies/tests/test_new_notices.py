from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from qifu.policies.models import Policy
from qifu.publishing.models import PublicationStatus

pytestmark = pytest.mark.django_db


def test_new_notices_list_policies_issued_in_the_last_30_days_newest_first(
    dataset, django_assert_max_num_queries
):
    today = dt.date(2026, 6, 15)
    Policy.objects.filter(code="T-NEAR").update(published_on=today - dt.timedelta(days=3))
    Policy.objects.filter(title="小微企业减负").update(published_on=today - dt.timedelta(days=30))
    old = Policy.objects.exclude(code="T-NEAR").exclude(title="小微企业减负").first()
    Policy.objects.filter(pk=old.pk).update(published_on=today - dt.timedelta(days=31))
    with django_assert_max_num_queries(8):
        response = Client().get(reverse("policies:new_notices"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("海洋食品研发攻关") < body.index("小微企业减负")
    assert old.title not in body


def test_new_notices_leave_out_unpublished_policies(dataset):
    Policy.objects.filter(code="T-NEAR").update(
        published_on=dt.date(2026, 6, 14), status=PublicationStatus.WITHDRAWN
    )
    body = Client().get(reverse("policies:new_notices")).content.decode()
    assert "海洋食品研发攻关" not in body
    assert "近 30 天没有新发布的政策" in body


def test_the_library_links_the_new_notices(dataset):
    body = Client().get(reverse("policies:library")).content.decode()
    assert reverse("policies:new_notices") in body
