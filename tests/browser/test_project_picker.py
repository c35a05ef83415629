"""The enterprise picker of the "new project" form in a real browser (htmx + <datalist>)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.projects.models import Project
from qifu.projects.services import project_templates_load
from qifu.workspace.models import Assignment, AssignmentMethod, AssignmentRole
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_a_steward_picks_one_of_their_enterprises_and_registers_a_project(
    page: Page,
    live_server: Any,
    enterprise: Any,
    make_enterprise: Any,
    steward: Any,
) -> None:
    project_templates_load()
    Assignment.objects.create(
        enterprise=enterprise,
        role=AssignmentRole.STEWARD,
        user=steward,
        method=AssignmentMethod.MANUAL,
    )
    make_enterprise(name="荣成市海润冷链物流有限公司")  # matches the typing, not served
    login(page, live_server, steward.username, PASSWORD)
    page.goto(f"{live_server.url}/projects/new/")

    field = page.get_by_label("企业", exact=True)
    field.press_sequentially("海润", delay=50)
    options = page.locator("#project-enterprise-options option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", enterprise.credit_code)
    assert_accessible(page)

    field.fill(enterprise.credit_code)  # what choosing the suggestion puts in the field
    page.get_by_label("项目名称").fill("年产2万吨海洋食品精深加工扩建项目")
    page.get_by_label("总投资（万元）").fill("18600")
    page.get_by_role("button", name="登记并生成计划").click()
    expect(page.get_by_text("审批事项计划已生成")).to_be_visible()
    assert Project.objects.get().enterprise == enterprise
