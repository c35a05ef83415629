from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from qifu.core.models import AuditEvent
from qifu.integrations.models import ApiKey
from qifu.integrations.services import api_key_authenticate, api_key_issue, api_key_revoke

pytestmark = pytest.mark.django_db


def test_issuing_a_key_stores_only_its_sha256_and_audits(superuser: Any) -> None:
    raw, key = api_key_issue(name="12345热线", actor=superuser)
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiKey.objects.values().get(pk=key.pk))
    assert raw.startswith(key.prefix)
    assert key.scopes == ["open311"]
    assert AuditEvent.objects.filter(action="integrations.api_key.issue", actor=superuser).exists()


def test_each_key_gets_its_own_service_account_that_cannot_sign_in(superuser: Any) -> None:
    _, key = api_key_issue(name="热线", actor=superuser)
    user = key.service_user
    assert user.username == f"integration-{key.pk}"
    assert not user.has_usable_password()
    assert user.is_platform_staff


def test_a_key_authenticates_until_it_is_revoked(superuser: Any) -> None:
    raw, key = api_key_issue(name="热线", actor=superuser)
    assert api_key_authenticate(raw) == key
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None
    api_key_revoke(key=key, actor=superuser)
    assert api_key_authenticate(raw) is None
    key.service_user.refresh_from_db()
    assert not key.service_user.is_active
    assert AuditEvent.objects.filter(action="integrations.api_key.revoke").exists()
    assert AuditEvent.objects.filter(action="integrations.api_key.denied").exists()


def test_a_made_up_key_does_not_authenticate(db: Any) -> None:
    assert api_key_authenticate("qf_made-up") is None
    assert api_key_authenticate("") is None


def test_a_key_without_the_scope_does_not_authenticate(superuser: Any) -> None:
    raw, _ = api_key_issue(name="热线", actor=superuser, scopes=[])
    assert api_key_authenticate(raw) is None


def test_issuing_without_a_name_is_refused(superuser: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        api_key_issue(name="  ", actor=superuser)
    assert "name" in exc.value.message_dict


def test_the_issue_api_key_command_prints_a_working_key_once() -> None:
    out = StringIO()
    call_command("issue_api_key", "12345热线", stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    key = api_key_authenticate(raw)
    assert key is not None and key.name == "12345热线"
    assert ApiKey.objects.filter(key_hash=hashlib.sha256(raw.encode()).hexdigest()).exists()
    assert not ApiKey.objects.filter(prefix=raw).exists()


# --- the superuser's page ----------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_the_key_page(client: Any) -> None:
    response = client.get(reverse("integrations:keys"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["platform_staff", "enterprise_user", "department_admin"])
def test_only_a_superuser_may_manage_keys(persona: str, request: Any, client_for: Any) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("integrations:keys")).status_code == 403
    assert client.post(reverse("integrations:keys"), {"name": "x"}).status_code == 403
    assert not ApiKey.objects.exists()


def test_a_superuser_issues_a_key_and_sees_it_only_once(superuser: Any, client_for: Any) -> None:
    client = client_for(superuser)
    response = client.post(reverse("integrations:keys"), {"name": "12345热线"})
    assert response.status_code == 302
    assert response["Location"] == reverse("integrations:key_issued")
    page = client.get(response["Location"])
    raw = page.context["raw"]
    assert raw.encode() in page.content
    assert api_key_authenticate(raw) is not None
    again = client.get(reverse("integrations:key_issued"))
    assert again.status_code == 302
    listing = client.get(reverse("integrations:keys"))
    assert "12345热线" in listing.content.decode()
    assert raw not in listing.content.decode()


def test_issuing_without_a_name_shows_the_error_next_to_the_field(
    superuser: Any, client_for: Any
) -> None:
    response = client_for(superuser).post(reverse("integrations:keys"), {"name": ""})
    assert response.status_code == 200
    assert "请填写对接系统名称" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_a_superuser_revokes_a_key_with_a_post(superuser: Any, client_for: Any) -> None:
    raw, key = api_key_issue(name="热线", actor=superuser)
    client = client_for(superuser)
    url = reverse("integrations:key_revoke", args=[key.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert ApiKey.objects.get(pk=key.pk).revoked_at is not None
    assert api_key_authenticate(raw) is None


def test_the_admin_shows_keys_read_only(superuser: Any, client_for: Any) -> None:
    _, key = api_key_issue(name="热线", actor=superuser)
    client = client_for(superuser)
    assert client.get(reverse("admin:integrations_apikey_changelist")).status_code == 200
    page = client.get(reverse("admin:integrations_apikey_change", args=[key.pk]))
    assert page.status_code == 200
    assert key.key_hash in page.content.decode()
    assert b'name="key_hash"' not in page.content
    assert client.get(reverse("admin:integrations_apikey_add")).status_code == 403
