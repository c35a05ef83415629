"""Licences and the annual report in the exclusive space, in a real browser at phone width."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.matters.models import ELicence, LicenceSource
from qifu.workspace.models import AnnualReport
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_enterprise_sees_expiring_licences_and_marks_its_annual_report(
    phone_page: Page, live_server: Any, enterprise_user: Any, enterprise: Any
) -> None:
    page = phone_page
    today = timezone.localdate()
    ELicence.objects.create(
        number="PW-0001",
        name="排污许可证",
        enterprise=enterprise,
        issuer="威海市生态环境局荣成分局",
        source=LicenceSource.IMPORTED,
        issued_on=today - dt.timedelta(days=1800),
        valid_until=today + dt.timedelta(days=20),
    )
    login(page, live_server, enterprise_user.username, PASSWORD)

    page.goto(f"{live_server.url}/workspace/licences/")
    expect(page.get_by_role("heading", level=1, name="电子证照")).to_be_visible()
    expect(page.get_by_text("即将到期（剩 20 天）")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    assert_accessible(page)

    page.goto(f"{live_server.url}/workspace/")
    panel = page.locator("#space-annual-report")
    expect(panel.get_by_text(f"{today.year - 1}年度年报")).to_be_visible()
    panel.get_by_role("button", name="标记已报送").click()
    expect(page.get_by_text("年度年报为已报送")).to_be_visible()
    assert AnnualReport.objects.filter(enterprise=enterprise, year=today.year - 1).exists()
    page.locator("#space-annual-report").get_by_role("button", name="撤销").click()
    expect(page.get_by_text("“已报送”标记")).to_be_visible()
    assert not AnnualReport.objects.filter(enterprise=enterprise).exists()
