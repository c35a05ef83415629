"""Error pages are Chinese, in the site's layout, with the reason and the next step."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from qifu.portal import errors

pytestmark = pytest.mark.django_db


def test_a_refused_page_gives_its_reason_and_offers_to_switch_account(
    client_for: Any, enterprise_user: Any
) -> None:
    response = client_for(enterprise_user).get(reverse("board:manage"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "仅限平台工作人员处理留言。" in html
    assert "切换账号" in html and "返回首页" in html and "联系平台" in html
    assert 'aria-label="主导航"' in html  # the site's own layout
    assert "Forbidden" not in html


def test_an_anonymous_visitor_refused_by_a_view_is_offered_to_sign_in(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    response = errors.permission_denied(request, PermissionDenied("请先登录。"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "请先登录。" in html and "登录后继续" in html and "切换账号" not in html


def test_an_unknown_address_is_a_chinese_404_with_search(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and "站内搜索" in html and "Not Found" not in html


def test_a_chinese_not_found_reason_is_shown_and_an_english_one_is_not(
    rf: RequestFactory, enterprise_user: Any
) -> None:
    from django.http import Http404

    request = rf.get("/x/")
    request.user = enterprise_user
    shown = errors.page_not_found(request, Http404("未找到，或您无权查看。")).content.decode()
    assert "未找到，或您无权查看。" in shown
    hidden = errors.page_not_found(request, Http404("No Policy matches the given query."))
    assert "No Policy matches" not in hidden.content.decode()


def test_the_api_keeps_answering_json(client: Client) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_a_server_error_page_renders_and_falls_back_when_the_layout_fails(
    rf: RequestFactory, monkeypatch: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/boom/")
    request.user = AnonymousUser()
    response = errors.server_error(request)
    assert response.status_code == 500 and "系统繁忙" in response.content.decode()

    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("database is down")

    monkeypatch.setattr(errors, "render_to_string", broken)
    response = errors.server_error(request)
    assert response.status_code == 500
    assert response.content.decode() == errors.PLAIN_500


def test_an_expired_form_gets_a_chinese_explanation() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("portal:toggle_elder"), {"next": "/"})
    assert response.status_code == 403
    assert "表单已失效" in response.content.decode()


def test_a_bad_request_never_echoes_the_message(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import SuspiciousOperation

    request = rf.get("/x/")
    request.user = AnonymousUser()
    response = errors.bad_request(request, SuspiciousOperation("Invalid HTTP_HOST header"))
    assert response.status_code == 400
    assert "HTTP_HOST" not in response.content.decode()
    assert "请求有误" in response.content.decode()
