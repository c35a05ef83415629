from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/password/reset/",
    "/accounts/password/reset/confirm/",
]
SIGNED_IN_PAGES = ["/accounts/profile/", "/accounts/password/change/", "/accounts/otp/setup/"]


def _assert_csp_clean(html: str) -> None:
    # CSP is script-src 'self' and style-src 'self': nothing inline may be needed.
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_public_account_pages_render_without_inline_style_or_script(url):
    response = Client().get(url)
    assert response.status_code == 200
    _assert_csp_clean(response.content.decode())


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_account_pages_render_without_inline_style_or_script(
    url, enterprise_user, client_for
):
    response = client_for(enterprise_user).get(url)
    assert response.status_code == 200
    _assert_csp_clean(response.content.decode())


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_account_pages_send_anonymous_visitors_to_sign_in(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
