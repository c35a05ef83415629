"""项目管家 in a real browser: the steward completes an item, the enterprise sees it done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD
from qifu.projects.models import ItemStatus
from qifu.projects.services import project_create, project_templates_load
from qifu.workspace.models import Assignment, AssignmentMethod, AssignmentRole
from tests.browser.conftest import PHONE, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_steward_completes_an_item_and_the_enterprise_sees_it_done(
    page: Page,
    browser: Browser,
    live_server: Any,
    enterprise: Any,
    enterprise_user: Any,
    steward: Any,
    platform_staff: Any,
) -> None:
    project_templates_load()
    Assignment.objects.create(
        enterprise=enterprise,
        role=AssignmentRole.STEWARD,
        user=steward,
        method=AssignmentMethod.MANUAL,
    )
    project = project_create(
        actor=platform_staff,
        enterprise=enterprise,
        name="年产2万吨海洋食品精深加工扩建项目",
        total_investment=18600,  # type: ignore[arg-type]
        planned_start_on=timezone.localdate() - dt.timedelta(days=30),
    )
    url = f"{live_server.url}/projects/{project.pk}/"

    login(page, live_server, steward.username, PASSWORD)
    page.goto(url)
    page.get_by_role("link", name="办理：企业投资项目备案").click()
    page.get_by_label("说明").fill("已在投资项目在线审批监管平台备案")
    page.get_by_role("button", name="确认办理完成").click()
    expect(page.get_by_text("“企业投资项目备案”已更新。")).to_be_visible()
    assert project.items.get(code="record").status == ItemStatus.DONE

    # The enterprise, on a phone: the item is done, with the table alternative to the chart.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)  # type: ignore[arg-type]
    phone = context.new_page()
    login(phone, live_server, enterprise_user.username, PASSWORD)
    phone.goto(url)
    row = phone.get_by_role("row", name="企业投资项目备案")
    expect(row.get_by_text("已完成")).to_be_visible()
    expect(phone.get_by_role("table")).to_contain_text("审批事项")
    expect(phone.locator("#project-gantt canvas")).to_be_attached()  # the chart drew
    expect(phone.get_by_text("已在投资项目在线审批监管平台备案")).to_be_visible()
    expect(phone.get_by_role("link", name="办理：企业投资项目备案")).to_have_count(0)
    assert_accessible(phone)
    context.close()
