"""The contact and visit log: who may write it, where it shows, and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from qifu.portal.space import timeline
from qifu.workspace.models import AssignmentRole, ContactLog
from qifu.workspace.services.assignments import assignment_set
from qifu.workspace.services.requests import contact_log_create, service_request_submit


@pytest.fixture
def served(enterprise: Any, commissioner: Any, steward: Any, platform_staff: Any) -> Any:
    assignment_set(
        enterprise=enterprise,
        role=AssignmentRole.COMMISSIONER,
        user=commissioner,
        actor=platform_staff,
    )
    assignment_set(
        enterprise=enterprise, role=AssignmentRole.STEWARD, user=steward, actor=platform_staff
    )
    return enterprise


def an_hour_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=1)


def test_the_commissioner_or_the_steward_logs_a_contact(
    served: Any, commissioner: Any, steward: Any
) -> None:
    for person in (commissioner, steward):
        contact_log_create(
            user=person,
            enterprise=served,
            kind="visit",
            occurred_at=an_hour_ago(),
            summary="上门走访",
        )
    assert ContactLog.objects.filter(enterprise=served).count() == 2


def test_someone_not_serving_the_enterprise_cannot_log(
    served: Any, other_commissioner: Any, enterprise_user: Any
) -> None:
    for person in (other_commissioner, enterprise_user):
        with pytest.raises(PermissionDenied):
            contact_log_create(
                user=person, enterprise=served, kind="phone", occurred_at=an_hour_ago(), summary="x"
            )


def test_a_contact_in_the_future_or_without_summary_is_refused(
    served: Any, commissioner: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        contact_log_create(
            user=commissioner,
            enterprise=served,
            kind="phone",
            occurred_at=timezone.now() + dt.timedelta(days=1),
            summary=" ",
        )
    assert set(error.value.message_dict) == {"occurred_at", "summary"}


def test_a_contact_may_only_name_a_request_of_the_same_enterprise(
    served: Any, commissioner: Any, other_enterprise_user: Any
) -> None:
    foreign = service_request_submit(
        user=other_enterprise_user, kind="change", title="变更", description="变更地址"
    )
    with pytest.raises(ValidationError):
        contact_log_create(
            user=commissioner,
            enterprise=served,
            kind="phone",
            occurred_at=an_hour_ago(),
            summary="电话",
            service_request=foreign,
        )


def test_the_enterprise_sees_the_contact_in_its_timeline(
    served: Any, commissioner: Any, enterprise_user: Any
) -> None:
    contact_log_create(
        user=commissioner,
        enterprise=served,
        kind="visit",
        occurred_at=an_hour_ago(),
        summary="了解扩产用地需求",
    )
    entries, _ = timeline(served, enterprise_user, kinds={"contact"})
    assert entries[0].kind_label == "走访联系"
    assert "了解扩产用地需求" in entries[0].title


def test_contact_form_needs_login_and_is_404_for_an_enterprise_not_served(
    client: Any, client_for: Any, served: Any, other_enterprise: Any, commissioner: Any
) -> None:
    url = reverse("workspace:contact_new", args=[served.pk])
    assert "login" in client.get(url)["Location"]
    assert client_for(commissioner).get(url).status_code == 200
    other = reverse("workspace:contact_new", args=[other_enterprise.pk])
    assert client_for(commissioner).get(other).status_code == 404


def test_contact_form_saves_and_shows_on_the_dossier(
    client_for: Any, served: Any, commissioner: Any
) -> None:
    client = client_for(commissioner)
    occurred = timezone.localtime(an_hour_ago())
    when = occurred.strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("workspace:contact_new", args=[served.pk]),
        {"kind": "meeting", "occurred_at": when, "summary": "座谈：企业反映冷库用电紧张。"},
    )
    assert response.status_code == 302
    page = client.get(reverse("workspace:served_enterprise", args=[served.pk])).content.decode()
    assert "企业反映冷库用电紧张" in page
    served_page = client.get(reverse("workspace:served")).content.decode()
    # The date of the contact: an hour ago is yesterday just after midnight.
    assert occurred.strftime("%Y-%m-%d") in served_page


def test_contact_form_shows_errors_next_to_the_field(
    client_for: Any, served: Any, commissioner: Any
) -> None:
    response = client_for(commissioner).post(
        reverse("workspace:contact_new", args=[served.pk]), {"kind": "phone", "occurred_at": ""}
    )
    assert response.status_code == 400
    assert 'id="id_summary_error"' in response.content.decode()


def test_the_dossier_of_an_enterprise_not_served_is_404(
    client_for: Any, other_enterprise: Any, commissioner: Any
) -> None:
    url = reverse("workspace:served_enterprise", args=[other_enterprise.pk])
    assert client_for(commissioner).get(url).status_code == 404


def test_api_contacts_create_and_list(
    api_client_for: Any,
    served: Any,
    commissioner: Any,
    enterprise_user: Any,
    other_commissioner: Any,
) -> None:
    body = {
        "enterprise": served.credit_code,
        "kind": "online",
        "occurred_at": an_hour_ago().isoformat(),
        "summary": "微信沟通年报填报事宜",
    }
    url = "/api/v1/workspace/assignments/contacts"
    assert (
        api_client_for(other_commissioner)
        .post(url, body, content_type="application/json")
        .status_code
        == 404
    )
    response = api_client_for(commissioner).post(url, body, content_type="application/json")
    assert response.status_code == 201
    listed = api_client_for(enterprise_user).get(url).json()
    assert listed[0]["summary"] == "微信沟通年报填报事宜"
