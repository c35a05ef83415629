"""Checklist #37: revealing a masked value needs a role, is audited and rate-limited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ID_NUMBER = "37108219800101001X"
KEY = "accounts.enterprise.legal_representative_id_number"


@pytest.fixture
def company(enterprise_user):
    enterprise = enterprise_user.enterprise
    enterprise.legal_representative_id_number = ID_NUMBER
    enterprise.save()
    return enterprise


def _url(pk, key=KEY):
    return reverse("core:pii_reveal", args=[key, pk])


def test_platform_staff_see_the_full_number_and_it_is_audited(platform_staff, company, client_for):
    response = client_for(platform_staff).post(_url(company.pk))
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="pii.reveal")
    assert (event.actor, event.object_id, event.data["field"]) == (
        platform_staff,
        str(company.pk),
        "legal_representative_id_number",
    )


def test_others_are_refused_and_see_nothing(enterprise_user, company, client_for):
    response = client_for(enterprise_user).post(_url(company.pk))
    assert response.status_code == 403
    assert ID_NUMBER not in response.content.decode()
    assert not AuditEvent.objects.filter(action="pii.reveal", outcome="success").exists()


def test_only_listed_fields_and_post(platform_staff, company, client_for):
    client = client_for(platform_staff)
    assert client.post(_url(company.pk, "accounts.user.password")).status_code == 404
    assert client.get(_url(company.pk)).status_code == 405


def test_reveals_are_rate_limited(settings, platform_staff, company, client_for):
    from django.core.cache import cache

    cache.clear()
    settings.PII_REVEAL_PER_HOUR = 2
    client = client_for(platform_staff)
    assert [client.post(_url(company.pk)).status_code for _ in range(3)] == [200, 200, 429]
    assert AuditEvent.objects.filter(action="pii.reveal", outcome="denied").count() == 1
