"""智慧招商 in a real browser: an investor's English intent becomes a lead with a reminder and a
measured first contact; a project goes through every node to 投产 and joins the platform; the
maps and charts draw the data (screenshots kept under var/screenshots/) with their tables; an
import shows its rejected rows; enterprise users and visitors are kept out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD
from qifu.accounts.models import Enterprise
from qifu.accounts.validators import build_credit_code
from qifu.investment.catalogue import KINDS, catalogue_create
from qifu.investment.models import Lead, Stage, Visit
from qifu.investment.services.visits import visit_save
from qifu.investment.tests.personas import new_lead, publish
from tests.browser.conftest import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"investment-{name}.png"), full_page=True)


def test_an_investor_registers_on_the_english_page_and_it_becomes_a_lead(
    page: Page, browser: Browser, live_server: Any, settings: Any, investment_admin: Any
) -> None:
    settings.INTENT_MIN_SECONDS = 0
    page.goto(f"{live_server.url}/en/invest/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Register your interest online").click()
    page.get_by_label("Your name").fill("Ingrid Solberg")
    page.get_by_label("Company").fill("Nordhav Seafood AS")
    page.get_by_label("Country or region").fill("Norway")
    page.get_by_label("E-mail").fill("ingrid@example.no")
    page.get_by_label("Industry").fill("Frozen seafood")
    page.get_by_label("Planned investment (10,000 CNY)").fill("25000")
    page.get_by_label("I agree that").check()
    assert_accessible(page)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="We have received your enquiry")).to_be_visible()
    lead = Lead.objects.get(company="Nordhav Seafood AS")
    expect(page.locator(".invest-reference")).to_have_text(lead.reference)

    # 商务局 sees the lead with its deadline for first contact, records the call, and the time
    # to first contact is measured.
    staff = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    office = staff.new_page()
    login(office, live_server, investment_admin.username, PASSWORD)
    office.goto(f"{live_server.url}/workbench/")
    expect(office.get_by_text("待首次联系")).to_be_visible()
    office.goto(f"{live_server.url}/investment/projects/")
    office.get_by_role("link", name="Nordhav Seafood AS").click()
    expect(office.locator("#next-due")).to_contain_text("接洽")
    expect(office.locator("#first-contact")).to_have_text("尚未联系")
    office.get_by_text("记录联系").click()
    office.get_by_label("联系情况").fill("电话介绍园区，约定春季来访。")
    office.get_by_role("button", name="保存联系记录").click()
    expect(office.locator("#first-contact")).to_contain_text("用时")
    lead.refresh_from_db()
    assert lead.first_contact_at is not None
    staff.close()


def test_a_project_moves_through_every_node_and_joins_the_platform(
    page: Page, live_server: Any, officer: Any, agency: Any, templates: None
) -> None:
    from qifu.accounts.models import Role
    from qifu.investment.tests.personas import _user

    steward = _user("guanjia_b", [Role.STEWARD], department=agency, real_name="林宏伟")
    lead = new_lead(officer)
    login(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/investment/projects/{lead.pk}/")
    for label in ("接洽", "考察", "洽谈", "签约", "注册", "开工", "投产"):
        if label == "注册":
            page.get_by_label("统一社会信用代码").fill(build_credit_code(serial=7301))
        page.get_by_role("button", name=f"推进到“{label}”").click()
        expect(page.locator("#lead-stage")).to_have_text(label)
    expect(page.locator("#lead-enterprise")).to_contain_text(lead.company)
    expect(page.locator("#lead-construction")).to_contain_text("林宏伟")
    expect(page.get_by_role("button", name="推进到", exact=False)).to_have_count(0)
    lead.refresh_from_db()
    assert lead.stage == Stage.PRODUCING
    enterprise = Enterprise.objects.get(credit_code=lead.credit_code)
    assert (
        lead.construction_project.steward == steward
        and lead.construction_project.enterprise == enterprise
    )  # type: ignore[union-attr]


@pytest.fixture
def decision_data(
    officer: Any, investment_admin: Any, reviewer: Any, park: Any, make_enterprise: Any, town: Any
) -> None:
    asset = catalogue_create(
        kind=KINDS["assets"],
        author=investment_admin,
        values={
            "code": "RC-F-001",
            "title": "崂山街道标准厂房A3栋",
            "title_en": "Standard factory A3",
            "kind": "factory",
            "town": town,
            "latitude": Decimal("37.114"),
            "longitude": Decimal("122.455"),
            "area": Decimal("6800"),
            "price": Decimal("12"),
            "price_unit": "rent",
            "owner": "荣成市国有资产运营有限公司",
        },
    )
    publish(asset, investment_admin, reviewer)
    for n in range(3):
        make_enterprise(
            region=town, latitude=Decimal("37.25") + Decimal(n) / 100, longitude=Decimal("122.56")
        )
    leads = [
        new_lead(officer, company="宁波海宸船舶配套股份有限公司", province="浙江"),
        new_lead(
            officer,
            company="Kaiyo Foods",
            country="日本",
            province="",
            foreign_amount=Decimal("1700"),
        ),
        new_lead(officer, company="青岛海健生物科技股份有限公司", province="山东"),
    ]
    for index, (country, province) in enumerate((("中国", "浙江"), ("韩国", ""), ("中国", "广东"))):
        visit_save(
            actor=officer,
            values={
                "direction": "incoming",
                "visited_on": timezone.localdate() - dt.timedelta(days=20 * index),
                "delegation": f"考察团{index}",
                "purpose": "考察",
                "country": country,
                "province": province,
                "people": 4,
            },
            leads=leads[index : index + 1],
        )
    assert Visit.objects.count() == 3


def test_the_maps_and_charts_draw_the_data_beside_their_tables(
    page: Page, phone_page: Page, live_server: Any, officer: Any, decision_data: None
) -> None:
    login(page, live_server, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/investment/decision/")
    for key in ("stages", "chains", "amounts", "assets", "visits"):
        expect(page.locator(f"#chart-{key}[data-ready='1'] canvas")).to_be_attached()
    expect(page.get_by_role("table", name="招商项目按节点（表格）")).to_contain_text("线索")
    shot(page, "decision-desktop")
    page.goto(f"{live_server.url}/investment/decision/map/")
    expect(page.locator("#invest-map[data-ready='1']")).to_be_attached()
    expect(page.locator("#invest-map path.leaflet-interactive").first).to_be_attached()
    expect(page.get_by_role("table", name="园区（表格）")).to_contain_text("海洋生物食品产业园")
    expect(page.get_by_role("table", name="企业分布（按镇街）（表格）")).to_contain_text("俚岛镇")
    shot(page, "map-desktop")
    page.goto(f"{live_server.url}/investment/decision/national/")
    expect(page.locator("#chart-origins[data-ready='1'] canvas")).to_be_attached()
    expect(
        page.get_by_role("table", name="招商项目与来访团组来源（按省份）（表格）")
    ).to_contain_text("浙江")
    shot(page, "national-desktop")

    login(phone_page, live_server, officer.username, PASSWORD)
    phone_page.goto(f"{live_server.url}/investment/decision/map/")
    expect(phone_page.locator("#invest-map[data-ready='1']")).to_be_attached()
    shot(phone_page, "map-phone")
    phone_page.goto(f"{live_server.url}/investment/decision/")
    expect(phone_page.locator("#chart-stages[data-ready='1'] canvas")).to_be_attached()
    shot(phone_page, "decision-phone")
    phone_page.goto(f"{live_server.url}/en/invest/assets/")
    expect(phone_page.locator("#invest-map[data-ready='1']")).to_be_attached()
    expect(phone_page.get_by_role("table")).to_contain_text("Standard factory A3")
    assert_accessible(phone_page)
    shot(phone_page, "assets-en-phone")


def test_an_import_shows_the_rows_it_rejected(
    page: Page, live_server: Any, investment_admin: Any, town: Any, tmp_path: Path
) -> None:
    csv = tmp_path / "assets.csv"
    csv.write_text(
        "code,title,kind,town,area,owner\nRC-F-201,标准厂房C1,factory,俚岛镇,5000,荣成市国资公司\nRC-F-202,无面积厂房,factory,俚岛镇,,某公司\n",
        encoding="utf-8",
    )
    login(page, live_server, investment_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/investment/library/import/assets/")
    page.get_by_label("CSV 或 Excel 文件").set_input_files(str(csv))
    page.get_by_role("button", name="导入").click()
    result = page.get_by_role("table", name="逐行导入结果")
    expect(result.get_by_role("row", name="第3行")).to_contain_text("拒绝")
    expect(result.get_by_role("row", name="第2行")).to_contain_text("新增")


def test_visitors_and_enterprise_users_are_kept_out(
    page: Page, live_server: Any, enterprise_user: Any, lead: Lead
) -> None:
    page.goto(f"{live_server.url}/investment/projects/{lead.pk}/")
    expect(page).to_have_url(
        f"{live_server.url}/accounts/login/?next=/investment/projects/{lead.pk}/"
    )
    login(page, live_server, enterprise_user.username, PASSWORD)
    response = page.goto(f"{live_server.url}/investment/projects/{lead.pk}/")
    assert response is not None and response.status == 403
    expect(page.get_by_text(lead.contact_name)).to_have_count(0)
