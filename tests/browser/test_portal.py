"""The portal in a real browser: sections, elder mode, sign-in per role, and accessibility."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SECTIONS = ["办事服务", "专属空间", "政策诉求", "智慧招商"]


def no_horizontal_scroll(page: Page) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(width <= page.viewport_size["width"] + 1)  # type: ignore[index]


def test_home_at_desktop_width_shows_the_four_sections_and_passes_axe(
    page: Page, live_server: Any
) -> None:
    page.goto(live_server.url + "/")
    for title in SECTIONS:
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
        expect(
            page.get_by_role("navigation", name="主导航").get_by_role("link", name=title)
        ).to_be_visible()
    expect(page.get_by_text("牵头单位：荣成市工业和信息化局")).to_be_visible()
    # Every entrance of the four sections is built: none is left as 建设中.
    expect(page.get_by_text("建设中")).to_have_count(0)
    assert_accessible(page)


def test_home_at_phone_width_fits_the_screen_and_opens_the_menu(
    phone_page: Page, live_server: Any
) -> None:
    page = phone_page
    page.goto(live_server.url + "/")
    for title in SECTIONS:
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
    assert no_horizontal_scroll(page)
    main_nav = page.get_by_role("navigation", name="主导航")
    expect(main_nav).to_be_hidden()
    toggler = page.get_by_role("button", name="菜单")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(main_nav.get_by_role("link", name="智慧招商")).to_be_visible()
    assert_accessible(page)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(
    page: Page, live_server: Any
) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("a => getComputedStyle(a).outlineWidth")
    assert float(outline.removesuffix("px")) >= 3
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_elder_mode_enlarges_text_persists_across_pages_and_passes_axe(
    phone_page: Page, live_server: Any
) -> None:
    page = phone_page
    page.goto(live_server.url + "/")
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="长者模式").click()
    expect(page.locator("html")).to_have_class("elder")
    elder_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert elder_size >= normal_size * 1.25
    underline = page.locator(".qifu-hero-sections a").first.evaluate(
        "a => getComputedStyle(a).textDecorationLine"
    )
    assert underline == "underline"
    assert no_horizontal_scroll(page)
    assert_accessible(page, aaa_contrast=True)

    page.get_by_role("link", name="登录").click()
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()
    expect(page.locator("html")).to_have_class("elder")
    assert no_horizontal_scroll(page)
    assert_accessible(page, aaa_contrast=True)

    toggle = page.get_by_role("button", name="长者模式")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(page.locator("html")).not_to_have_class("elder")
    expect(page.get_by_role("button", name="长者模式")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_role("heading", level=1, name="登录")).to_be_visible()


@pytest.mark.parametrize(
    ("persona", "panel", "shows"),
    [
        ("enterprise_user", "enterprise", "荣成市海润水产食品有限公司"),
        ("platform_staff", "department", "荣成市行政审批服务局"),
        ("department_admin", "department", "荣成市工业和信息化局"),
        ("superuser", "superuser", "数据维护（后台管理）"),
    ],
)
def test_each_persona_signs_in_and_lands_on_its_own_workbench_panel(
    page: Page,
    live_server: Any,
    request: pytest.FixtureRequest,
    persona: str,
    panel: str,
    shows: str,
) -> None:
    user = request.getfixturevalue(persona)
    login(page, live_server, user.username, PASSWORD)
    expect(page).to_have_url(live_server.url + "/workbench/")
    expect(page.get_by_role("heading", level=1, name="工作台")).to_be_visible()
    role_panel = page.locator(f'[data-panel="{panel}"]')
    expect(role_panel).to_be_visible()
    expect(role_panel).to_contain_text(shows)
    expect(page.locator('[data-panel="account"]')).to_contain_text(user.username)
    others = {"enterprise", "department", "superuser"} - {panel}
    for other in others:
        expect(page.locator(f'[data-panel="{other}"]')).to_have_count(0)


def test_a_wrong_password_shows_the_chinese_error_with_the_form(
    page: Page, live_server: Any, enterprise_user: Any
) -> None:
    login(page, live_server, enterprise_user.username, "wrong-Password1")
    expect(page).to_have_url(live_server.url + "/accounts/login/")
    error = page.locator("main form").get_by_role("alert")
    expect(error).to_contain_text("账号或密码不正确")
    expect(page.locator("main form").get_by_label("账号")).to_have_value(enterprise_user.username)
    assert_accessible(page)


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_workbench_fits_a_phone_and_passes_axe(
    phone_page: Page, live_server: Any, enterprise_user: Any, elder: bool
) -> None:
    page = phone_page
    if elder:
        page.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    login(page, live_server, enterprise_user.username, PASSWORD)
    expect(page.locator('[data-panel="enterprise"]')).to_be_visible()
    assert no_horizontal_scroll(page)
    assert_accessible(page, aaa_contrast=elder)


def test_pages_load_without_console_errors_or_csp_violations(
    browser: Any, live_server: Any, enterprise_user: Any
) -> None:
    # A context that keeps the site's CSP, unlike the axe-ready `page` fixture.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("button", name="长者模式").click()
        login(page, live_server, enterprise_user.username, PASSWORD)
        expect(page.get_by_role("heading", level=1, name="工作台")).to_be_visible()
    finally:
        context.close()
    assert problems == []
