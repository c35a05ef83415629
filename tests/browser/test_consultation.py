"""我要咨询 hand-off: the enterprise and platform staff each in their own browser see the other's
messages appear without reloading (htmx polls the messages partial every 5 s)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD
from qifu.assistant.services import consultation_open
from tests.browser.conftest import DESKTOP, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

POLL = 8_000  # one 5 s polling period plus slack


@pytest.fixture
def second_page(browser: Browser, live_server: Any, transactional_db: Any) -> Iterator[Page]:
    """Another browser (its own cookies): the staff member on the other side, at desktop size."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", bypass_csp=True)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_enterprise_and_staff_see_each_others_messages_without_reloading(
    phone_page: Page,
    second_page: Page,
    live_server: Any,
    enterprise_user: Any,
    platform_staff: Any,
) -> None:
    item = consultation_open(user=enterprise_user, question="海带加工厂扩建能申请哪些补贴")
    url = f"{live_server.url}/assistant/consultations/{item.pk}/"
    enterprise, staff = phone_page, second_page
    login(enterprise, live_server, enterprise_user.username, PASSWORD)
    enterprise.goto(url)
    login(staff, live_server, platform_staff.username, PASSWORD)
    staff.goto(url)
    assert_accessible(enterprise)

    staff.get_by_label("消息").fill("可以关注技改设备投资奖补，设备投资500万元以上按8%奖补。")
    staff.get_by_role("button", name="发送").click()
    expect(enterprise.get_by_text("设备投资500万元以上按8%奖补")).to_be_visible(timeout=POLL)

    enterprise.get_by_label("消息").fill("我们是规上企业，设备投资600万元。")
    enterprise.get_by_role("button", name="发送").click()
    expect(staff.get_by_text("我们是规上企业，设备投资600万元。")).to_be_visible(timeout=POLL)
