"""The portal as demo roles use it in Chromium: at 375 px nothing scrolls sideways, staff lists
are cards, nothing answers 403; elder mode on both widths passes axe with 7:1 contrast.

The exhaustive walk of every offered link is qifu/portal/tests/test_walk.py (Django's client);
this one drives the real browser through a representative set of pages and keeps screenshots
in var/screenshots/ for people to look at.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DEMO_PASSWORD = "Demo@2026"
SHOTS = settings.BASE_DIR / "var" / "screenshots"

# (role, pages): each role's own lists and the frame around them.
TOUR = [
    ("qiye", ["/", "/workbench/", "/appeals/", "/workspace/", "/policies/matches/"]),
    (
        "pingtai",
        [
            "/workbench/",
            "/appeals/manage/",
            "/workspace/coverage/",
            "/reports/reply-rates/",
            "/assistant/faq/",
            "/section/policy/",
        ],
    ),
    ("gongxin", ["/workbench/", "/policies/manage/", "/policies/review/", "/section/policy/"]),
    ("zhujian", ["/workbench/", "/appeals/inbox/", "/projects/department/"]),
    ("zhuanyuan", ["/workbench/", "/workspace/inbox/", "/workspace/served/", "/workspace/"]),
    ("admin", ["/workbench/", "/section/services/", "/contact/", "/progress/"]),
]
STAFF_LISTS = {
    "/appeals/manage/",
    "/appeals/inbox/",
    "/workspace/inbox/",
    "/workspace/served/",
    "/reports/reply-rates/",
    "/assistant/faq/",
}


def scroll_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def demo(transactional_db: Any) -> None:
    call_command("seed_demo", stdout=StringIO())


def test_demo_roles_at_phone_width_see_cards_and_never_scroll_sideways(
    browser: Browser, live_server: Any, demo: None
) -> None:
    problems: list[str] = []
    for username, paths in TOUR:
        context = browser.new_context(viewport=PHONE, locale="zh-CN")  # type: ignore[arg-type]
        page = context.new_page()
        login(page, live_server, username, DEMO_PASSWORD)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response is not None
            if response.status != 200:
                problems.append(f"{username} {path}: {response.status}")
                continue
            if page.locator("h1", has_text="无权访问").count():
                problems.append(f"{username} {path}: refused")
            if scroll_width(page) > PHONE["width"] + 1:
                problems.append(f"{username} {path}: {scroll_width(page)} px wide")
            if path in STAFF_LISTS:
                table = page.locator("table.qifu-cards").first
                expect(table).to_be_visible()
                # A card: the row is a flex column and the column headings are not shown.
                assert (
                    table.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display")
                    == "flex"
                ), f"{username} {path}"
                heading = table.locator("thead").bounding_box()
                assert heading is None or heading["height"] <= 1, f"{username} {path}"
                shot(page, f"phone-{username}-{path.strip('/').replace('/', '-')}")
        context.close()
    assert not problems, "\n".join(problems)
    # And a page that does refuse (typed in, never offered) says why, in Chinese, with a way on.
    _a_refused_page_is_chinese_with_a_way_on(browser, live_server)


ELDER_PAGES = [
    (PHONE, "", "/"),
    (DESKTOP, "", "/"),
    (PHONE, "pingtai", "/appeals/manage/"),
    (DESKTOP, "qiye", "/workbench/"),
]


def test_elder_mode_is_large_fits_and_passes_axe_at_7_to_1(
    browser: Browser, live_server: Any, demo: None
) -> None:
    # One seeding for every case: the demo data takes seconds to build.
    for viewport, username, path in ELDER_PAGES:
        _elder_page_checks(browser, live_server, viewport, username, path)


def _elder_page_checks(
    browser: Browser, live_server: Any, viewport: dict[str, int], username: str, path: str
) -> None:
    base = live_server.url
    context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)  # type: ignore[arg-type]
    context.add_cookies([{"name": "elder", "value": "1", "url": base}])
    page = context.new_page()
    if username:
        login(page, live_server, username, DEMO_PASSWORD)
    page.goto(base + path)
    # MIIT: main text at least 18 pt (24 px).
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 24
    assert scroll_width(page) <= viewport["width"] + 1, path
    # No menu item breaks mid-word: each is one line high.
    for link in page.locator(".qifu-navbar .nav-link").all():
        if link.is_visible():
            lines = link.evaluate(
                "a => a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)"
            )
            assert lines < 2, link.inner_text()
    # Main targets at least 60 px high.
    for button in page.locator("main .btn").all()[:5]:
        if button.is_visible():
            assert button.bounding_box()["height"] >= 59  # type: ignore[index]
    shot(page, f"elder-{'phone' if viewport == PHONE else 'desktop'}-{username or 'visitor'}")
    assert_accessible(page, aaa_contrast=True)
    context.close()


def _a_refused_page_is_chinese_with_a_way_on(browser: Browser, live_server: Any) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)  # type: ignore[arg-type]
    page = context.new_page()
    login(page, live_server, "qiye", DEMO_PASSWORD)
    response = page.goto(live_server.url + "/messages/manage/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1, name="无权访问")).to_be_visible()
    expect(page.get_by_text("仅限平台工作人员处理留言。")).to_be_visible()
    expect(page.get_by_role("button", name="切换账号")).to_be_visible()
    assert scroll_width(page) <= PHONE["width"] + 1
    assert_accessible(page)
    context.close()


def test_the_department_choice_is_searchable_and_accessible(
    page: Page, live_server: Any, platform_staff: Any, town: Any
) -> None:
    from conftest import PASSWORD

    login(page, live_server, platform_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/workspace/coverage/")
    control = page.locator(".ts-wrapper .ts-control").first
    control.click()
    page.keyboard.type("俚岛")
    listbox = page.get_by_role("listbox", name="镇街").first
    expect(listbox.get_by_role("option", name="俚岛镇")).to_be_visible()
    listbox.get_by_role("option", name="俚岛镇").click()
    assert page.locator("select[name=town]").input_value() == str(town.pk)
    assert "---------" not in page.locator("select[name=town]").inner_html()
    assert_accessible(page)
