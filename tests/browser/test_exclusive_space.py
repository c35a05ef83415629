"""Issue 6, "done when": on the demo data, an enterprise finds everything it has with the
government in its space; another enterprise sees none of it; the API says the same."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page, expect

from qifu.accounts.models import Enterprise, User
from qifu.accounts.services import api_token_issue
from qifu.demo.enterprises import QIYE_CREDIT_CODE
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DEMO_PASSWORD = "Demo@2026"


@pytest.fixture
def demo(transactional_db: Any) -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _panel(page: Page, title: str) -> Any:
    return page.get_by_role("region", name=title)


def test_the_enterprise_finds_everything_in_its_space_and_another_enterprise_none_of_it(
    demo: None, phone_page: Page, live_server: Any
) -> None:
    page = phone_page
    login(page, live_server, "qiye", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/workspace/")
    expect(page.get_by_role("heading", level=1, name="我的专属空间")).to_be_visible()

    people = _panel(page, "我的服务专员和项目管家")
    expect(people.get_by_text("毕永胜")).to_be_visible()
    expect(people.get_by_text("林宏伟")).to_be_visible()

    licences = _panel(page, "电子证照")
    expect(licences.get_by_text("排污许可证")).to_be_visible()
    expect(licences.get_by_text("即将到期").first).to_be_visible()

    expect(_panel(page, "企业年报").get_by_text("2025年度年报")).to_be_visible()

    projects = _panel(page, "项目进展")
    expect(projects.get_by_text("年产2万吨海洋食品精深加工扩建项目")).to_be_visible()
    expect(projects.get_by_text("施工阶段")).to_be_visible()

    policies = _panel(page, "为您匹配的政策")
    expect(policies.get_by_text("符合理由").first).to_be_visible()

    expect(_panel(page, "办件信息").get_by_text("食品生产许可").first).to_be_visible()
    expect(_panel(page, "最近动态").get_by_role("listitem").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="完整时间线").click()
    expect(page.get_by_role("heading", level=1, name="我与政府的往来")).to_be_visible()
    page.get_by_role("checkbox", name="专员服务").check()
    page.get_by_role("button", name="筛选").click()
    expect(page.get_by_text("排污许可证换发").first).to_be_visible()
    assert_accessible(page)

    # Another enterprise: the space of 蓝湾 is not there for it, nor its timeline.
    enterprise = Enterprise.objects.get(credit_code=QIYE_CREDIT_CODE)
    page.get_by_role("button", name="退出").click()
    login(page, live_server, "qiye2", DEMO_PASSWORD)
    for path in ("", "timeline/"):
        response = page.goto(
            f"{live_server.url}/workspace/enterprises/{enterprise.credit_code}/{path}"
        )
        assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/workspace/")
    expect(page.get_by_role("heading", level=1, name="我的专属空间")).to_be_visible()
    expect(page.get_by_text(enterprise.name)).to_have_count(0)
    expect(page.get_by_text("年产2万吨海洋食品精深加工扩建项目")).to_have_count(0)
    expect(page.get_by_text("排污许可证换发")).to_have_count(0)

    # The same through the API (one demo database for both: seeding it is the slow part).
    _api_gives_the_same_space_and_refuses_another_enterprise()


def _api_gives_the_same_space_and_refuses_another_enterprise() -> None:
    qiye = User.objects.get(username="qiye")
    qiye2 = User.objects.get(username="qiye2")
    own = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=qiye)[0]}")
    other = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=qiye2)[0]}")

    space = own.get("/api/v1/workspace").json()
    assert {p["role"]: p["name"] for p in space["people"]} == {
        "commissioner": "毕永胜",
        "steward": "林宏伟",
    }
    assert space["policies"]["count"] > 0
    assert {"people", "licences", "annual-report", "projects", "policies", "recent"} <= {
        p["key"] for p in space["panels"]
    }
    licences = own.get("/api/v1/workspace/licences").json()
    assert any(item["name"] == "排污许可证" for item in licences)
    projects = own.get("/api/v1/projects").json()
    assert projects["items"][0]["name"] == "年产2万吨海洋食品精深加工扩建项目"
    timeline = own.get("/api/v1/workspace/timeline?kind=service_request").json()
    assert any("排污许可证换发" in item["title"] for item in timeline["items"])

    code = QIYE_CREDIT_CODE
    assert other.get(f"/api/v1/workspace?enterprise={code}").status_code == 404
    assert other.get(f"/api/v1/workspace/timeline?enterprise={code}").status_code == 404
    assert other.get(f"/api/v1/workspace/licences?enterprise={code}").status_code == 404
    project_id = projects["items"][0]["id"]
    assert other.get(f"/api/v1/projects/{project_id}").status_code == 404
