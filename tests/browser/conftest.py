"""Browser-test harness: the system Chromium driven by Playwright against Django's live server.

Each browser test module sets
`pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]`: with `--dist loadgroup`
they then all run on one xdist worker, which starts one Chromium.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    # Playwright's sync API leaves an asyncio loop running on this thread for the rest of the
    # session; every ORM call after it (fixtures, later tests on this worker) is still plain
    # synchronous code, so Django's async-safety guard must stand aside while it lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            yield pw
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


def _new_page(browser: Browser, viewport: dict[str, int]) -> Iterator[Page]:
    # bypass_csp: axe is injected as an inline script, which the site's CSP (script-src 'self')
    # rightly refuses; the pages themselves never need it.
    context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(browser: Browser, live_server: Any, transactional_db: Any) -> Iterator[Page]:
    """A desktop-sized page (1280×800) in a fresh browser context."""
    yield from _new_page(browser, DESKTOP)


@pytest.fixture
def phone_page(browser: Browser, live_server: Any, transactional_db: Any) -> Iterator[Page]:
    """A phone-sized page (375×740) in a fresh browser context."""
    yield from _new_page(browser, PHONE)


def login(page: Page, live_server: Any, username: str, password: str) -> None:
    """Sign in through the Chinese login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("账号").fill(username)
    form.get_by_label("密码").fill(password)
    form.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state("domcontentloaded")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_PATH = settings.BASE_DIR / "static" / "vendor" / "axe" / "axe.min.js"


def assert_accessible(page: Page, *, aaa_contrast: bool = False) -> None:
    """Run axe-core on the page; fail on any serious or critical WCAG 2.1 A/AA violation.

    `aaa_contrast` also demands the enhanced 7:1 text contrast (WCAG 1.4.6), as elder mode does.
    """
    page.add_script_tag(path=str(AXE_PATH))
    tags = [*AXE_TAGS, "wcag2aaa"] if aaa_contrast else AXE_TAGS
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
        })""",
        tags,
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    if bad:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(
                f"{json.dumps(n['target'])} {n.get('failureSummary', '').splitlines()[-1:]}"
                for n in v["nodes"][:5]
            )
            for v in bad
        ]
        pytest.fail(
            f"axe found {len(bad)} serious/critical violation(s) on {page.url}:\n"
            + "\n".join(lines)
        )
