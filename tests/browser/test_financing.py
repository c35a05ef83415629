"""融资服务 end to end in a real browser: a bank's product is published, an enterprise files a
need that reaches it, the bank takes it up on a phone and records the loan, the enterprise
follows it and rates it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.financing.models import FinancingOrder, OrderStatus, ProductKind
from qifu.financing.services import product_create
from qifu.publishing.services import publication_approve, publication_publish, publication_submit
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_need_reaches_the_bank_is_granted_and_rated(
    page: Page,
    browser: Any,
    live_server: Any,
    enterprise_user: Any,
    bank_user: Any,
    department_admin: Any,
) -> None:
    product = product_create(
        author=bank_user,
        name="科创e贷",
        kind=ProductKind.CREDIT,
        amount_min=Decimal("10"),
        amount_max=Decimal("500"),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.30"),
        rate_max=Decimal("4.50"),
        conditions="征信良好",
    )
    product = publication_submit(item=product, actor=bank_user)
    product = publication_approve(item=product, actor=department_admin)
    publication_publish(item=product, actor=department_admin)

    # The enterprise finds the product and files its need.
    login(page, live_server, enterprise_user.username, PASSWORD)
    page.goto(f"{live_server.url}/financing/")
    expect(page.get_by_role("link", name="科创e贷")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="发布融资需求").first.click()
    page.get_by_label("融资方式").select_option("credit")
    page.get_by_label("融资金额（万元）").fill("200")
    page.get_by_label("期限（月）").fill("12")
    page.get_by_label("资金用途").fill("旺季原料收购流动资金")
    page.get_by_label("联系人").fill("于海波")
    page.get_by_label("联系电话").fill("13963100006")
    assert_accessible(page)
    page.get_by_role("button", name="提交融资需求").click()
    expect(page.get_by_text("已推送给 1 家金融机构")).to_be_visible()
    expect(page.get_by_text("待接单")).to_be_visible()
    need_url = page.url
    order = FinancingOrder.objects.get()

    # The bank, on a phone, takes it up and records the loan.
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, locale="zh-CN", bypass_csp=True
    )
    officer = context.new_page()
    login(officer, live_server, bank_user.username, PASSWORD)
    officer.goto(f"{live_server.url}/financing/orders/")
    officer.get_by_role("link", name=order.number).click()
    assert_accessible(officer)
    officer.get_by_role("button", name="接单", exact=True).click()
    expect(officer.get_by_text("已接单。")).to_be_visible()
    officer.get_by_label("放款金额（万元）").fill("200")
    officer.get_by_label("年利率（%）").fill("3.85")
    officer.get_by_role("button", name="确认放款").click()
    expect(officer.get_by_text("已放款。")).to_be_visible()
    context.close()

    # The enterprise sees each step and rates the service.
    page.goto(need_url)
    expect(page.get_by_text("已放款 200 万元，年利率 3.85%")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("5星 非常满意").check()
    page.get_by_label("评价内容").fill("一周放款")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("评价：5 星")).to_be_visible()
    order.refresh_from_db()
    assert order.status == OrderStatus.GRANTED and order.rating == 5
