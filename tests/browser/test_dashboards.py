"""领导驾驶舱 and 督办台 in Chromium: the charts and the town map render, each with its table
alternative; the pages pass axe at desktop and phone width; a supervisor presses (催办) a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.appeals.models import Appeal, AppealAction, AppealCategory, AppealEvent
from qifu.appeals.services import appeal_dispatch, appeal_file
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def leader(agency: Any) -> Any:
    return user_create(
        username="ducha_b",
        password=PASSWORD,
        roles=[Role.SUPERVISOR],
        department=agency,
        validate=False,
    )


@pytest.fixture
def late_appeal(
    enterprise: Any, enterprise_user: Any, town: Any, platform_staff: Any, department: Any
) -> Appeal:
    enterprise.region = town
    enterprise.save(update_fields=["region"])
    category = AppealCategory.objects.create(code="ZC", name="政策咨询", sort_order=1)
    appeal, _ = appeal_file(
        user=enterprise_user,
        title="冷库用电增容迟迟未批复",
        content="新建冷库需增容，申请一个月未批复。",
        category=category,
    )
    appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
    past = timezone.now() - dt.timedelta(days=10)
    Appeal.objects.filter(pk=appeal.pk).update(respond_due_at=past, due_at=past)
    return appeal


def test_overview_renders_charts_map_and_tables(
    page: Page, phone_page: Page, live_server: Any, leader: Any, late_appeal: Any, department: Any
) -> None:
    for p in (page, phone_page):
        login(p, live_server, leader.username, PASSWORD)
        p.goto(f"{live_server.url}/dashboards/")
        expect(p.get_by_role("heading", name="领导驾驶舱")).to_be_visible()
        # Each chart draws (a canvas), the town map included; the tables carry the same numbers.
        for chart in ("chart-months", "chart-categories", "chart-towns"):
            expect(p.locator(f"#{chart} canvas")).to_have_count(1)
        towns = p.locator("section[aria-labelledby=town-title] table")
        expect(towns.get_by_role("row", name="俚岛镇 1")).to_be_visible()
        expect(p.get_by_text("部门考核排名")).to_be_visible()
        assert_accessible(p)
        # The drill-down to the department and its cases.
        p.get_by_role("link", name=department.name).first.click()
        expect(p.get_by_role("link", name=late_appeal.title)).to_be_visible()
        assert_accessible(p)


def test_supervisor_presses_a_case_from_the_board(
    page: Page, live_server: Any, leader: Any, late_appeal: Any, department_admin: Any
) -> None:
    login(page, live_server, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/supervision/")
    expect(page.get_by_text(late_appeal.number)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"催办 {late_appeal.number}").click()
    expect(page.get_by_text("已催办，承办部门负责人已收到通知")).to_be_visible()
    assert AppealEvent.objects.filter(appeal=late_appeal, action=AppealAction.URGE).count() == 1
    page.get_by_role("link", name=f"{late_appeal.number} 的流转记录").click()
    expect(page.get_by_text("催办").first).to_be_visible()
