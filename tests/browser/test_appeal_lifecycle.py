"""An appeal's whole life through the pages: 录入 → 研判+派发 (one form) → contact + 应答 →
the enterprise's online rating → 电话回访 confirming it + 办结, every node on its timeline."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from conftest import PASSWORD
from qifu.appeals.models import Appeal, AppealCategory, Stage
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def sign_in_as(page: Page, live_server: Any, user: Any) -> None:
    page.context.clear_cookies()
    login(page, live_server, user.username, PASSWORD)


def action(page: Page, title: str) -> Any:
    """The card of one action on the detail page, found by its heading."""
    return page.locator("section.appeal-action").filter(
        has=page.get_by_role("heading", name=title, exact=True)
    )


def test_an_appeal_goes_from_filing_to_close_through_the_pages(
    page: Page,
    live_server: Any,
    enterprise_user: Any,
    platform_staff: Any,
    department_admin: Any,
    department: Any,
    other_department: Any,
) -> None:
    AppealCategory.objects.create(code="ZC", name="政策兑现", default_department=department)

    # The enterprise files, with a file.
    sign_in_as(page, live_server, enterprise_user)
    page.goto(f"{live_server.url}/appeals/new/")
    form = page.locator("main form")
    form.get_by_label("诉求类别").select_option(label="政策兑现")
    form.get_by_label("标题").fill("技改设备奖补资金迟迟未到账")
    form.get_by_label("诉求内容").fill("我公司2025年技改设备投资奖补已公示，但至今未拨付，请协调。")
    form.get_by_label("联系人").fill("张经理")
    expect(form.get_by_label("联系电话")).to_have_value("13805310001")
    form.get_by_label("附件").set_input_files(
        files=[FilePayload(name="公示截图.pdf", mimeType="application/pdf", buffer=PDF)]
    )
    assert_accessible(page)
    form.get_by_role("button", name="提交诉求").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("技改设备奖补资金迟迟未到账")
    expect(page.get_by_text("诉求已提交")).to_be_visible()
    expect(page.get_by_role("link", name="公示截图.pdf")).to_be_visible()
    appeal = Appeal.objects.get()

    # Platform staff judge and dispatch in one form, filling the department from a suggestion.
    sign_in_as(page, live_server, platform_staff)
    page.goto(f"{live_server.url}/appeals/manage/")
    page.get_by_role("link", name="技改设备奖补资金迟迟未到账").click()
    expect(page.get_by_text("类别默认承办部门")).to_be_visible()
    dispatch = action(page, "研判并派发")
    dispatch.get_by_label("承办部门").select_option(str(other_department.pk))
    page.locator(".appeal-suggestions").get_by_role("button", name="选用").first.click()
    expect(dispatch.get_by_label("承办部门")).to_have_value(str(department.pk))
    dispatch.get_by_label("研判意见").fill("属工信局技改奖补职责")
    dispatch.get_by_label("派发说明").fill("请3个工作日内答复企业")
    assert_accessible(page)
    dispatch.get_by_role("button", name="研判并派发").click()
    expect(page.get_by_text(re.compile("已研判并派发至荣成市工业和信息化局"))).to_be_visible()

    # The department responds, recording its call to the enterprise in the same form.
    sign_in_as(page, live_server, department_admin)
    page.goto(f"{live_server.url}/appeals/inbox/")
    page.get_by_role("link", name="技改设备奖补资金迟迟未到账").click()
    action(page, "签收").get_by_role("button", name="签收").click()
    expect(page.get_by_text("已签收")).to_be_visible()
    respond = action(page, "诉求应答")
    respond.get_by_label("办理结果").fill("已协调财政局，奖补资金已于今日拨付到企业账户，请查收。")
    respond.get_by_role("button", name="提交答复").click()
    # Without a contact record the answer is refused, next to the contact fields.
    expect(respond.locator(".invalid-feedback").first).to_be_visible()
    respond = action(page, "诉求应答")
    respond.get_by_label("联系对象").fill("张经理")
    respond.get_by_label("联系情况").fill("电话告知资金拨付进度")
    respond.get_by_label("办理结果").fill("已协调财政局，奖补资金已于今日拨付到企业账户，请查收。")
    respond.get_by_role("button", name="提交答复").click()
    expect(page.get_by_text("已提交办理结果")).to_be_visible()

    # The enterprise rates the response online.
    sign_in_as(page, live_server, enterprise_user)
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    rating = action(page, "评价办理结果")
    rating.get_by_label("满意", exact=True).check()
    rating.get_by_label("评分").select_option("5")
    rating.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价")).to_be_visible()
    assert Appeal.objects.get().stage == Stage.RESPONDED

    # Staff call back, confirm the online rating and close in one step.
    sign_in_as(page, live_server, platform_staff)
    page.goto(f"{live_server.url}/appeals/{appeal.pk}/")
    followup = action(page, "电话回访")
    assert_accessible(page)
    expect(followup.get_by_label("企业确认其在线评价")).to_be_checked()
    followup.get_by_label("受访人").fill("张经理")
    expect(followup.get_by_label("企业满意，同时办结")).to_be_checked()
    followup.get_by_role("button", name="记录回访").click()
    expect(page.get_by_text("已记录电话回访结果，诉求已办结")).to_be_visible()
    assert Appeal.objects.get().stage == Stage.CLOSED

    # The enterprise sees every node of article 15, each under the actor's own unit.
    sign_in_as(page, live_server, enterprise_user)
    page.goto(f"{live_server.url}/appeals/")
    page.get_by_role("link", name="技改设备奖补资金迟迟未到账").click()
    timeline = page.locator(".appeal-timeline")
    for label in (
        "提交诉求",
        "研判",
        "派发",
        "签收",
        "联系企业",
        "诉求应答",
        "企业评价",
        "电话回访",
        "办结",
    ):
        expect(timeline.get_by_text(label, exact=True)).to_be_visible()
    expect(timeline.get_by_text("荣成市工业和信息化局").first).to_be_visible()
    expect(timeline.get_by_text(platform_staff.department.name).first).to_be_visible()
    expect(timeline.get_by_text("研判意见")).to_have_count(0)
    expect(page.get_by_role("heading", name="办理答复")).to_be_visible()
    expect(page.locator(".appeal-step-current")).to_have_count(0)
    assert_accessible(page)


def fits_the_screen(page: Page) -> bool:
    width = page.evaluate("document.documentElement.scrollWidth")
    return bool(width <= page.viewport_size["width"] + 1)  # type: ignore[index]


def test_the_appeal_pages_fit_a_phone_and_pass_axe(
    phone_page: Page,
    live_server: Any,
    enterprise_user: Any,
    platform_staff: Any,
    department: Any,
) -> None:
    from qifu.appeals.services import appeal_file

    category = AppealCategory.objects.create(
        code="ZC", name="政策兑现", default_department=department
    )
    appeal, _ = appeal_file(
        user=enterprise_user,
        title="厂区门前道路破损影响货车通行",
        content="门前道路破损严重，雨天积水，请协调修复。",
        category=category,
        contact_name="张经理",
        contact_phone="13905310001",
    )
    page = phone_page
    sign_in_as(page, live_server, enterprise_user)
    for path in ("/appeals/", f"/appeals/{appeal.pk}/", "/appeals/new/"):
        page.goto(f"{live_server.url}{path}")
        assert fits_the_screen(page), path
        assert_accessible(page)
    sign_in_as(page, live_server, platform_staff)
    for path in ("/appeals/manage/", f"/appeals/{appeal.pk}/", "/appeals/record/"):
        page.goto(f"{live_server.url}{path}")
        assert fits_the_screen(page), path
        assert_accessible(page)
