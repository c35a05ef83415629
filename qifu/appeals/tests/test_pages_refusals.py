"""The appeal pages refuse what each visitor may not see or do."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from qifu.appeals import services
from qifu.appeals.models import (
    Appeal,
    Evaluation,
    Stage,
)
from qifu.appeals.tests.pages import (
    act,
    dispatched,
    pdf,
)

# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["appeals:mine", "appeals:new", "appeals:manage", "appeals:inbox", "appeals:record"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(client: Any, db: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_visitors_cannot_open_an_appeal_or_its_files(
    client: Any, make_appeal: Any
) -> None:
    appeal = make_appeal()
    for url in (
        reverse("appeals:detail", args=[appeal.pk]),
        reverse("appeals:attachment", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]
    assert act(client, appeal, "evaluate").status_code == 302


@pytest.mark.parametrize("name", ["appeals:manage", "appeals:record", "appeals:inbox"])
def test_an_enterprise_user_is_refused_the_staff_and_department_pages(
    client_for: Any, enterprise_user: Any, name: str
) -> None:
    assert client_for(enterprise_user).get(reverse(name)).status_code == 403


def test_a_department_is_taken_to_its_inbox_and_the_platform_to_its_list(
    client_for: Any, department_admin: Any, platform_staff: Any
) -> None:
    department = client_for(department_admin)
    assert department.get(reverse("appeals:manage"))["Location"] == reverse("appeals:inbox")
    assert department.get(reverse("appeals:record")).status_code == 403
    assert client_for(platform_staff).get(reverse("appeals:inbox"))["Location"] == reverse(
        "appeals:manage"
    )


def test_another_enterprise_gets_404_on_the_detail_the_evaluation_and_the_files(
    client_for: Any, make_appeal: Any, other_enterprise_user: Any, enterprise_user: Any
) -> None:
    appeal = make_appeal()
    attachment = services.appeal_attachments_add(
        appeal=appeal, user=enterprise_user, files=[pdf()]
    )[0]
    client = client_for(other_enterprise_user)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert client.get(reverse("appeals:attachment", args=[attachment.pk])).status_code == 404
    response = act(client, appeal, "evaluate", {"evaluate-level": "satisfied", "evaluate-score": 5})
    assert response.status_code == 404
    assert not Evaluation.objects.exists()


def test_another_department_gets_404_on_an_appeal_dispatched_elsewhere(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department_admin: Any,
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department)
    client = client_for(other_department_admin)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).status_code == 404
    assert act(client, appeal, "accept").status_code == 404
    assert Appeal.objects.get(pk=appeal.pk).accepted_at is None


def test_an_enterprise_cannot_run_a_staff_action_on_its_own_appeal(
    client_for: Any, make_appeal: Any, enterprise_user: Any, department: Any
) -> None:
    appeal = make_appeal()
    response = act(
        client_for(enterprise_user), appeal, "dispatch", {"dispatch-department": department.pk}
    )
    assert response.status_code == 403
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.RECEIVED
