# ruff: noqa: F811  (the fixtures imported below are parameters of the tests)
"""监督考核 in a real browser: from the ranking to a department's breakdown to the cases behind a
number, at desktop and phone width, passing axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.assessment.tests.conftest import assessor, september  # noqa: F401  (fixtures)
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_from_the_ranking_to_the_cases_behind_a_number(
    page: Page,
    live_server: Any,
    september: dict[str, Any],
    assessor: Any,
) -> None:
    login(page, live_server, assessor.username, PASSWORD)
    page.goto(f"{live_server.url}/assessment/?period=2026-09")
    expect(page.get_by_role("heading", name="监督考核排名")).to_be_visible()
    expect(page.get_by_role("heading", name="考核办法（第0版）")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="荣成市工业和信息化局").click()
    expect(
        page.get_by_role("heading", name="荣成市工业和信息化局 · 2026年9月考核明细")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="退回件数的1件案件").click()
    expect(page.locator("#case-count")).to_have_text("1")
    expect(page.get_by_role("link", name=september["a3"].number)).to_be_visible()
    assert_accessible(page)


def test_the_ranking_fits_a_phone(
    phone_page: Page,
    live_server: Any,
    september: dict[str, Any],
    assessor: Any,
) -> None:
    page = phone_page
    login(page, live_server, assessor.username, PASSWORD)
    page.goto(f"{live_server.url}/assessment/?period=2026-09")
    expect(page.get_by_role("heading", name="监督考核排名")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 391
    assert_accessible(page)
