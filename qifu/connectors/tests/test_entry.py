from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine

from qifu.connectors.models import Connector
from qifu.connectors.services import TokenInvalid, entry_token_issue, entry_token_verify
from qifu.core.models import AuditEvent

NOW = "2026-11-26 10:00:00+08:00"


def _token_from(response: Any) -> str:
    location = urlsplit(response["Location"])
    assert (location.scheme, location.netloc, location.path) == (
        "https",
        "ycb.example.gov.cn",
        "/enter",
    )
    query = parse_qs(location.query)
    assert query["from"] == ["qifu"]
    return query["token"][0]


@time_machine.travel(NOW, tick=False)
def test_an_enterprise_user_is_handed_over_with_a_token_the_connector_verifies(
    connector: Connector, enterprise_user: Any, client_for: Callable[..., Any]
) -> None:
    client = client_for(enterprise_user)
    # First the hand-over page: where to, and what is passed; no token is issued by a GET.
    page = client.get("/connectors/yichuangtong/enter/", {"matter": "QY-KB-001"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "即将前往" in html and enterprise_user.enterprise.credit_code in html
    assert not AuditEvent.objects.filter(action="connectors.entry.handed_over").exists()
    response = client.post("/connectors/yichuangtong/enter/", {"matter": "QY-KB-001"})
    assert response.status_code == 302
    claims = entry_token_verify(connector=connector, token=_token_from(response))
    assert claims["credit_code"] == enterprise_user.enterprise.credit_code
    assert claims["enterprise_name"] == enterprise_user.enterprise.name
    assert claims["sub"] == str(enterprise_user.pk)
    assert claims["matter_code"] == "QY-KB-001"
    assert claims["exp"] - claims["iat"] == 300
    assert enterprise_user.phone not in response["Location"]
    assert AuditEvent.objects.filter(
        action="connectors.entry.handed_over", actor=enterprise_user
    ).exists()


def test_the_token_expires_after_five_minutes(connector: Connector, enterprise_user: Any) -> None:
    with time_machine.travel(NOW, tick=False) as traveller:
        token = entry_token_issue(connector=connector, user=enterprise_user, matter_code="QY-1")
        traveller.shift(4 * 60 + 59)
        assert entry_token_verify(connector=connector, token=token)["matter_code"] == "QY-1"
        traveller.shift(1)
        with pytest.raises(TokenInvalid, match="过期"):
            entry_token_verify(connector=connector, token=token)


@time_machine.travel(NOW, tick=False)
def test_a_tampered_token_or_one_for_another_connector_is_refused(
    connector: Connector, enterprise_user: Any
) -> None:
    from qifu.connectors.services import connector_create

    token = entry_token_issue(connector=connector, user=enterprise_user, matter_code="QY-1")
    header, body, signature = token.split(".")
    with pytest.raises(TokenInvalid):
        entry_token_verify(connector=connector, token=f"{header}.{body}x.{signature}")
    _, other = connector_create(
        code="gongcheng",
        name="工程建设项目审批",
        entry_url="https://gc.example.cn/",
        actor=None,
        secret=connector.secret,
    )
    with pytest.raises(TokenInvalid, match="不是签发给本系统"):
        entry_token_verify(connector=other, token=token)


@time_machine.travel(NOW, tick=False)
def test_each_token_carries_a_fresh_nonce(connector: Connector, enterprise_user: Any) -> None:
    first = entry_token_verify(
        connector=connector,
        token=entry_token_issue(connector=connector, user=enterprise_user, matter_code="QY-1"),
    )
    second = entry_token_verify(
        connector=connector,
        token=entry_token_issue(connector=connector, user=enterprise_user, matter_code="QY-1"),
    )
    assert first["jti"] != second["jti"]


def test_an_anonymous_visitor_is_sent_to_sign_in(connector: Connector, client: Any) -> None:
    response = client.get("/connectors/yichuangtong/enter/", {"matter": "QY-1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_government_user_is_not_handed_over(
    connector: Connector, platform_staff: Any, client_for: Callable[..., Any]
) -> None:
    response = client_for(platform_staff).get("/connectors/yichuangtong/enter/", {"matter": "QY-1"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="connectors.entry.handed_over").exists()


def test_a_disabled_or_unknown_connector_is_not_found(
    connector: Connector, enterprise_user: Any, client_for: Callable[..., Any]
) -> None:
    client = client_for(enterprise_user)
    assert client.get("/connectors/nosuch/enter/", {"matter": "QY-1"}).status_code == 404
    Connector.objects.filter(pk=connector.pk).update(is_active=False)
    assert client.get("/connectors/yichuangtong/enter/", {"matter": "QY-1"}).status_code == 404


def test_a_missing_matter_explains_itself(
    connector: Connector, enterprise_user: Any, client_for: Callable[..., Any]
) -> None:
    response = client_for(enterprise_user).get("/connectors/yichuangtong/enter/")
    assert response.status_code == 400
    assert "事项" in response.content.decode()


def test_a_system_whose_address_is_not_configured_says_so_instead_of_leaving(
    connector: Connector, enterprise_user: Any, client_for: Callable[..., Any]
) -> None:
    Connector.objects.filter(pk=connector.pk).update(entry_url="https://ycb.example.com/enter")
    client = client_for(enterprise_user)
    page = client.get("/connectors/yichuangtong/enter/", {"matter": "QY-1"})
    assert page.status_code == 503
    assert "对接地址尚未配置" in page.content.decode()
    assert "继续前往" not in page.content.decode()
    response = client.post("/connectors/yichuangtong/enter/", {"matter": "QY-1"})
    assert response.status_code == 503
    assert not AuditEvent.objects.filter(action="connectors.entry.handed_over").exists()


@pytest.mark.parametrize(
    ("url", "configured"),
    [
        ("https://yichuangtong.example.com/qifu/enter", False),
        ("https://example.org/", False),
        ("https://ycb.test/enter", False),
        ("https://ycb.example.gov.cn/enter", True),
        ("https://qyb.shandong.gov.cn/enter", True),
    ],
)
def test_reserved_example_addresses_count_as_not_configured(url: str, configured: bool) -> None:
    assert Connector(entry_url=url).is_configured is configured
