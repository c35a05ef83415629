"""A service request end to end in a real browser: the enterprise files it, the commissioner
accepts and completes it, the enterprise sees the result."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.workspace.models import AssignmentRole, RequestStatus, ServiceRequest
from qifu.workspace.services.assignments import assignment_set
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_enterprise_files_a_request_the_commissioner_completes_it_and_the_result_shows(
    page: Page,
    browser: Any,
    live_server: Any,
    enterprise: Any,
    enterprise_user: Any,
    commissioner: Any,
    platform_staff: Any,
) -> None:
    assignment_set(
        enterprise=enterprise,
        role=AssignmentRole.COMMISSIONER,
        user=commissioner,
        actor=platform_staff,
    )
    # The enterprise finds its commissioner and files an archive query.
    login(page, live_server, enterprise_user.username, PASSWORD)
    page.goto(f"{live_server.url}/workspace/commissioner/")
    expect(page.get_by_text(commissioner.phone)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="提出新申请").click()
    page.get_by_label("服务类型").select_option("archive_query")
    page.get_by_label("标题").fill("调取设立登记档案")
    page.get_by_label("需求说明").fill("办理银行授信，需要公司设立登记档案。")
    page.get_by_label("联系人").fill("于海波")
    assert_accessible(page)
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("申请已提交")).to_be_visible()
    sr = ServiceRequest.objects.get()
    detail = f"{live_server.url}/workspace/requests/{sr.pk}/"

    # The commissioner, in another browser context, accepts and completes it.
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN", bypass_csp=True
    )
    officer = context.new_page()
    login(officer, live_server, commissioner.username, PASSWORD)
    officer.goto(f"{live_server.url}/workspace/inbox/")
    officer.get_by_role("link", name="档案查询 · 调取设立登记档案").click()
    officer.get_by_role("button", name="受理").click()
    expect(officer.get_by_text("已受理")).to_be_visible()
    officer.get_by_label("办理结果").fill("已调取设立登记档案，共 12 页。")
    assert_accessible(officer)
    officer.get_by_role("button", name="办结").click()
    expect(officer.get_by_text("已办结").first).to_be_visible()
    context.close()
    sr.refresh_from_db()
    assert sr.status == RequestStatus.COMPLETED

    # The enterprise sees the result.
    page.goto(detail)
    expect(page.get_by_test_id("result")).to_contain_text("共 12 页")
