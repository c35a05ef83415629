"""在所有设备上退出 in a browser: the account page's button ends the phone's session too."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = os.environ.get("QIFU_SCREENSHOTS", "")


def test_sign_out_everywhere_from_the_account_page(
    page: Page, phone_page: Page, live_server: Any, enterprise_user: Any
) -> None:
    login(phone_page, live_server, enterprise_user.username, PASSWORD)
    login(page, live_server, enterprise_user.username, PASSWORD)
    for shown in (page, phone_page):
        shown.goto(f"{live_server.url}/accounts/profile/")
        expect(shown.get_by_role("button", name="在所有设备上退出")).to_be_visible()
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/profile-desktop.png", full_page=True)
        phone_page.screenshot(path=f"{SHOTS}/profile-phone.png", full_page=True)

    page.get_by_role("button", name="在所有设备上退出").click()
    page.wait_for_load_state("domcontentloaded")

    phone_page.goto(f"{live_server.url}/accounts/profile/")
    expect(phone_page).to_have_url(f"{live_server.url}/accounts/login/?next=/accounts/profile/")
