"""服务超市 and 校企共建 end to end in a real browser: a law firm lists a service, 工信局 publishes
it, an enterprise posts a need and has a firm drawn at random, the firm accepts and completes,
the enterprise rates it; a university result is matched to an enterprise's need and recorded
to agreement."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.cooperation import services as cooperation_services
from qifu.cooperation.models import Cooperation, CooperationStatus
from qifu.market.models import Offering, Order, OrderStatus
from qifu.providers.models import ProviderKind
from qifu.publishing.services import publication_approve, publication_publish, publication_submit
from tests.browser.conftest import PHONE, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def _publish(item: Any, author: Any, reviewer: Any) -> Any:
    publication_submit(item=item, actor=author)
    publication_approve(item=item, actor=reviewer)
    return publication_publish(item=item, actor=reviewer)


def test_a_law_firm_lists_a_service_an_enterprise_draws_orders_and_rates(
    page: Page,
    browser: Any,
    live_server: Any,
    make_provider: Any,
    enterprise_user: Any,
    department_admin: Any,
) -> None:
    firm, lawyer = make_provider(kind=ProviderKind.LAW_FIRM, name="山东成山律师事务所（浏览器）")
    # The law firm lists its service and sends it to review.
    firm_context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    firm_page = firm_context.new_page()
    login(firm_page, live_server, lawyer.username, PASSWORD)
    firm_page.goto(f"{live_server.url}/market/manage/new/")
    firm_page.get_by_label("服务类别").select_option("legal")
    firm_page.get_by_label("服务名称").fill("劳动用工合规体检")
    firm_page.get_by_label("服务内容").fill("对劳动合同、工时、社保逐项检查，出具合规报告。")
    firm_page.get_by_label("价格下限（元）").fill("8000")
    firm_page.get_by_label("价格上限（元）").fill("15000")
    assert_accessible(firm_page)
    firm_page.get_by_role("button", name="保存草稿").click()
    firm_page.get_by_role("button", name="提交审核").click()
    expect(firm_page.get_by_text("已提交审核。")).to_be_visible()
    offering = Offering.objects.get()
    publication_approve(item=offering, actor=department_admin)
    publication_publish(item=offering, actor=department_admin)

    # The enterprise finds it, then posts a need and has a firm drawn at random.
    login(page, live_server, enterprise_user.username, PASSWORD)
    page.goto(f"{live_server.url}/market/?category=legal")
    expect(page.get_by_role("link", name="劳动用工合规体检")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/market/needs/new/")
    page.get_by_label("服务类别").select_option("legal")
    page.get_by_label("随机抽取", exact=False).check()
    page.get_by_label("需求名称").fill("季节性用工合同规范")
    page.get_by_label("需求说明").fill("旺季临时用工约 200 人。")
    page.get_by_label("联系人").fill("于海波")
    page.get_by_label("联系电话").fill("13906310101")
    page.get_by_role("button", name="发布需求").click()
    expect(page.get_by_text("候选机构（")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="随机抽取").click()
    expect(page.get_by_text(f"抽中：{firm.name}")).to_be_visible()
    expect(page.get_by_text("复核一致")).to_be_visible()
    order = Order.objects.get()

    # The firm accepts and completes it.
    firm_page.goto(f"{live_server.url}/market/orders/{order.pk}/")
    firm_page.get_by_role("button", name="接单", exact=True).click()
    expect(firm_page.get_by_text("已接单。")).to_be_visible()
    firm_page.get_by_label("服务结果").fill("已出具合规报告并完成合同模板修订。")
    firm_page.get_by_role("button", name="完成服务").click()
    expect(firm_page.get_by_text("已完成服务")).to_be_visible()
    firm_context.close()

    # The enterprise rates it; the rating is public on the firm's page.
    page.goto(f"{live_server.url}/market/orders/{order.pk}/")
    page.get_by_label("4 星").check()
    page.get_by_label("评价").fill("专业、及时。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价。")).to_be_visible()
    order.refresh_from_db()
    assert (order.status, order.rating) == (OrderStatus.COMPLETED, 4)
    page.goto(f"{live_server.url}/market/providers/{firm.pk}/")
    expect(page.get_by_text("专业、及时。")).to_be_visible()
    assert_accessible(page)


def test_a_university_result_is_matched_to_a_need_and_recorded_to_agreement(
    page: Page,
    browser: Any,
    live_server: Any,
    make_provider: Any,
    enterprise_user: Any,
    department_admin: Any,
) -> None:
    _university, officer = make_provider(
        kind=ProviderKind.UNIVERSITY, name="山东大学（威海）（浏览器）"
    )
    result = cooperation_services.resource_create(
        author=officer,
        kind="result",
        title="海参内脏酶解制备海参肽关键技术",
        industry="marine_food",
        description="以海参加工副产物内脏为原料，复合酶解制备海参肽，已完成中试。",
        keywords="海参、内脏、酶解、海参肽",
        contact_name="王成刚",
        contact_phone="0631-5688000",
    )
    _publish(result, officer, department_admin)
    need = cooperation_services.need_create(
        author=enterprise_user,
        title="海参加工副产物高值化利用",
        industry="marine_food",
        description="内脏副产物约 120 吨低价出售，希望引进酶解制备海参肽技术。",
        keywords="海参、内脏、酶解",
        budget=Decimal("80"),
        contact_name="于海波",
        contact_phone="13906310101",
    )
    _publish(need, enterprise_user, department_admin)

    login(page, live_server, enterprise_user.username, PASSWORD)
    page.goto(f"{live_server.url}/cooperation/needs/{need.pk}/")
    expect(page.get_by_text("同属“海洋生物食品及医药”产业链")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="发起对接").click()
    expect(page.get_by_text("已发起对接")).to_be_visible()
    cooperation = Cooperation.objects.get()

    uni_context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    uni = uni_context.new_page()
    login(uni, live_server, officer.username, PASSWORD)
    uni.goto(f"{live_server.url}/cooperation/records/{cooperation.pk}/")
    uni.get_by_role("button", name="同意对接").click()
    expect(uni.get_by_text("已同意对接，进入洽谈。")).to_be_visible()
    uni.get_by_label("合作形式").select_option("licence")
    uni.get_by_label("签约日期").fill(timezone.localdate().isoformat())
    uni.get_by_label("合同金额（万元）").fill("60")
    uni.get_by_label("协议要点").fill("许可使用专利 5 年，派驻研究人员指导中试。")
    assert_accessible(uni)
    uni.get_by_role("button", name="登记签约").click()
    expect(uni.get_by_text("合作协议已登记。")).to_be_visible()
    uni_context.close()

    cooperation.refresh_from_db()
    assert cooperation.status == CooperationStatus.AGREED
    page.goto(f"{live_server.url}/cooperation/records/{cooperation.pk}/")
    expect(page.get_by_text("已签约").first).to_be_visible()
    assert_accessible(page)
