from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.connectors.models import Connector
from qifu.connectors.selectors import external_cases_for
from qifu.connectors.services import entry_token_verify, external_event_apply
from qifu.core.models import AuditEvent

NOW = "2026-11-26 10:05:00+08:00"


@time_machine.travel(NOW, tick=False)
def test_an_enterprise_sees_its_own_external_cases_with_their_timeline(
    connector: Connector,
    event_payload: Callable[..., dict[str, Any]],
    enterprise_user: Any,
    other_enterprise: Any,
    client_for: Callable[..., Any],
    django_assert_num_queries: Any,
) -> None:
    external_event_apply(connector=connector, payload=event_payload(status_text="材料已收取"))
    external_event_apply(
        connector=connector,
        payload=event_payload(
            event_id="o-1", case_id="YCT-OTHER", credit_code=other_enterprise.credit_code
        ),
    )
    client = client_for(enterprise_user)
    client.get("/")  # the session's first write happens here, not in the measured requests
    with CaptureQueriesContext(connection) as one_case:
        response = client.get("/connectors/mine/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "YCT-2026-0001" in page and "材料已收取" in page
    assert "YCT-OTHER" not in page
    assert [c.external_id for c in external_cases_for(enterprise_user.enterprise)] == [
        "YCT-2026-0001"
    ]
    for n in (2, 3):
        external_event_apply(
            connector=connector, payload=event_payload(event_id=f"e-{n}", case_id=f"YCT-{n}")
        )
    # No query per case: the events come in one prefetch.
    with django_assert_num_queries(len(one_case)):
        client.get("/connectors/mine/")


def test_my_external_cases_need_sign_in(client: Any) -> None:
    response = client.get("/connectors/mine/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_government_user_has_no_enterprise_case_list(
    platform_staff: Any, client_for: Callable[..., Any]
) -> None:
    assert client_for(platform_staff).get("/connectors/mine/").status_code == 403


@pytest.mark.parametrize("persona", ["enterprise_user", "platform_staff", "department_admin"])
def test_only_superusers_maintain_connectors(
    persona: str, request: Any, connector: Connector, client_for: Callable[..., Any]
) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/connectors/").status_code == 403
    assert client.post("/connectors/yichuangtong/rotate/").status_code == 403
    assert client.post("/connectors/yichuangtong/toggle/").status_code == 403
    connector.refresh_from_db()
    assert connector.is_active


def test_the_registry_page_needs_sign_in(client: Any) -> None:
    assert "/accounts/login/" in client.get("/connectors/")["Location"]


@time_machine.travel(NOW, tick=False)
def test_a_superuser_registers_a_connector_and_sees_the_secret_exactly_once(
    superuser: Any, enterprise_user: Any, client_for: Callable[..., Any]
) -> None:
    client = client_for(superuser)
    response = client.post(
        "/connectors/",
        {"code": "zhengwuyun", "name": "荣成市政务云", "entry_url": "https://zwy.example.cn/in"},
    )
    assert response["Location"] == "/connectors/issued/"
    shown = client.get("/connectors/issued/")
    connector = Connector.objects.get(code="zhengwuyun")
    assert connector.secret in shown.content.decode()
    assert client.get("/connectors/issued/").status_code == 302
    assert connector.secret not in client.get("/connectors/").content.decode()
    assert AuditEvent.objects.filter(action="connectors.connector.created").exists()


def test_an_entry_url_must_be_https(superuser: Any, client_for: Callable[..., Any]) -> None:
    response = client_for(superuser).post(
        "/connectors/", {"code": "zhengwuyun", "name": "政务云", "entry_url": "http://zwy.cn/"}
    )
    assert response.status_code == 200
    assert not Connector.objects.exists()
    assert "有效" in response.content.decode() or "https" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_rotating_the_secret_shows_the_new_one_and_old_tokens_fail(
    connector: Connector, superuser: Any, enterprise_user: Any, client_for: Callable[..., Any]
) -> None:
    from qifu.connectors.services import entry_token_issue

    token = entry_token_issue(connector=connector, user=enterprise_user, matter_code="QY-1")
    client = client_for(superuser)
    assert client.post("/connectors/yichuangtong/rotate/")["Location"] == "/connectors/issued/"
    connector.refresh_from_db()
    assert connector.secret in client.get("/connectors/issued/").content.decode()
    with pytest.raises(Exception, match="签名"):
        entry_token_verify(connector=connector, token=token)
    assert AuditEvent.objects.filter(action="connectors.secret.rotated").exists()


def test_a_superuser_disables_a_connector(
    connector: Connector, superuser: Any, client_for: Callable[..., Any]
) -> None:
    client_for(superuser).post("/connectors/yichuangtong/toggle/")
    connector.refresh_from_db()
    assert not connector.is_active
