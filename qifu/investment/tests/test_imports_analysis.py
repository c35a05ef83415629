"""Imports reject bad rows with reasons and are idempotent; analysis, maps and charts, exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qifu.core.models import AuditEvent
from qifu.investment.catalogue import KINDS, catalogue_create, chain_link_save
from qifu.investment.models import ContactStatus, IdleAsset, KeyEnterprise, Stage
from qifu.investment.selectors.analysis import chain_gaps
from qifu.investment.selectors.indicators import service_indicators
from qifu.investment.services import leads as services
from qifu.investment.services.imports import investment_import_file

pytestmark = pytest.mark.django_db

ASSETS_CSV = """code,title,kind,town,area,price,price_unit,owner,availability
RC-F-101,崂山标准厂房B2,factory,俚岛镇,6800,12,rent,荣成市国有资产运营有限公司,available
RC-F-102,缺面积的厂房,factory,俚岛镇,,12,rent,某公司,available
RC-F-103,未知镇街的仓库,warehouse,火星镇,3000,,rent,某公司,available
RC-F-104,类型错误,castle,俚岛镇,1000,,rent,某公司,available
"""


def write(tmp_path: Path, text: str, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_rejects_bad_rows_with_reasons_and_keeps_the_good_ones(
    tmp_path: Path, investment_admin: Any, town: Any
) -> None:
    report = investment_import_file(
        kind_key="assets", path=write(tmp_path, ASSETS_CSV), actor=investment_admin
    )
    outcomes = {row.number: row for row in report.rows}
    assert outcomes["RC-F-101"].outcome == "created"
    assert "面积" in "；".join(outcomes["RC-F-102"].reasons) or "area" in "；".join(
        outcomes["RC-F-102"].reasons
    )
    assert "未知的镇街“火星镇”" in outcomes["RC-F-103"].reasons
    assert outcomes["RC-F-104"].outcome == "rejected"
    assert list(IdleAsset.objects.values_list("code", flat=True)) == ["RC-F-101"]
    assert IdleAsset.objects.get().status == "draft"  # still to be reviewed
    again = investment_import_file(
        kind_key="assets", path=write(tmp_path, ASSETS_CSV), actor=investment_admin
    )
    assert [r.outcome for r in again.rows].count(
        "unchanged"
    ) == 1 and IdleAsset.objects.count() == 1
    assert AuditEvent.objects.filter(action="investment.import").count() == 2


def test_a_dry_run_writes_nothing(tmp_path: Path, investment_admin: Any, town: Any) -> None:
    report = investment_import_file(
        kind_key="assets", path=write(tmp_path, ASSETS_CSV), actor=investment_admin, dry_run=True
    )
    assert report.counts["created"] == 1 and not IdleAsset.objects.exists()


def test_key_enterprises_import_by_credit_code_or_name(tmp_path: Path, officer: Any) -> None:
    csv = (
        "name,province,city,industry,revenue,contact_status\n"
        "南通瀚洋海洋工程装备有限公司,江苏,南通,海工装备,1250000,visited\n"
        ",浙江,宁波,,,\n"
    )
    report = investment_import_file(
        kind_key="key_enterprises", path=write(tmp_path, csv), actor=officer
    )
    assert [r.outcome for r in report.rows] == ["created", "rejected"]
    updated = csv.replace("visited", "negotiating")
    investment_import_file(kind_key="key_enterprises", path=write(tmp_path, updated), actor=officer)
    assert KeyEnterprise.objects.get().contact_status == ContactStatus.NEGOTIATING


def test_the_import_page_shows_each_rejected_row(
    client_for: Any, investment_admin: Any, town: Any
) -> None:
    upload = SimpleUploadedFile("assets.csv", ASSETS_CSV.encode(), "text/csv")
    html = (
        client_for(investment_admin)
        .post("/investment/library/import/assets/", {"file": upload})
        .content.decode()
    )
    assert "第3行" in html and "未知的镇街“火星镇”" in html and "拒绝 3" in html


def test_chain_gaps_show_local_output_the_gap_and_who_could_fill_it(
    investment_admin: Any, make_enterprise: Any
) -> None:
    chain = catalogue_create(
        kind=KINDS["chains"],
        author=investment_admin,
        values={"code": "ships", "name": "船舶与海工装备", "summary": "—"},
    )
    link = chain_link_save(
        chain=chain,
        actor=investment_admin,
        values={
            "position": "upstream",
            "name": "船舶配套设备",
            "industry_prefixes": ["C3734"],
            "target_output": Decimal("10000"),
        },
    )
    empty = chain_link_save(
        chain=chain,
        actor=investment_admin,
        values={
            "position": "midstream",
            "name": "海洋工程装备",
            "industry_prefixes": ["C3737"],
            "target_output": Decimal("5000"),
        },
    )
    make_enterprise(industry="C3734", revenue=Decimal("3000"))
    KeyEnterprise.objects.create(
        name="宁波海宸船舶配套股份有限公司", chain=chain, chain_link=link, revenue=Decimal("380000")
    )
    gaps = {g.link.pk: g for _c, links in chain_gaps() for g in links}
    assert gaps[link.pk].output == Decimal("3000") and gaps[link.pk].gap == Decimal("7000")
    assert gaps[link.pk].status == "薄弱" and gaps[link.pk].candidates[0].name.startswith("宁波")
    assert gaps[empty.pk].status == "空白"


def test_service_indicators_measure_the_time_to_first_contact(officer: Any) -> None:
    from qifu.investment.tests.personas import new_lead

    lead = new_lead(officer, intent_at=timezone.now() - dt.timedelta(hours=5))
    services.lead_contact(
        lead=lead,
        actor=officer,
        way="电话",
        content="介绍园区",
        contacted_at=lead.intent_at + dt.timedelta(hours=3),
    )
    today = timezone.localdate()
    officers, _teams = service_indicators(
        type(lead).objects.all(), start=today - dt.timedelta(days=1), end=today
    )
    row = officers.rows[0]
    assert row[0] == "董志刚" and row[2] == 1 and row[3] == 3.0 and row[4] == "100%"


@pytest.mark.parametrize(
    "url",
    [
        "/investment/decision/",
        "/investment/decision/map/",
        "/investment/decision/national/",
        "/investment/decision/indicators/",
        "/investment/analysis/",
        "/investment/analysis/gaps/",
        "/investment/projects/",
        "/investment/visits/",
    ],
)
def test_the_staff_pages_render_for_a_leader(
    client_for: Any, leader: Any, lead: Any, url: str
) -> None:
    assert client_for(leader).get(url).status_code == 200


def test_every_export_is_audited(client_for: Any, officer: Any, lead: Any) -> None:
    client = client_for(officer)
    for url in (
        "/investment/decision/?export=stages",
        "/investment/decision/map/?export=towns",
        "/investment/projects/?export=projects",
        "/investment/decision/indicators/?export=officers",
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(
            "application/vnd.openxml"
        )
    assert AuditEvent.objects.filter(action="investment.export").count() == 4


def test_the_projects_list_uses_a_bounded_number_of_queries(
    client_for: Any, officer: Any, django_assert_max_num_queries: Any
) -> None:
    from qifu.investment.tests.personas import new_lead

    for n in range(15):
        new_lead(officer, company=f"测试企业{n}有限公司")
    client = client_for(officer)
    with django_assert_max_num_queries(25):
        assert client.get("/investment/projects/").status_code == 200


def test_an_officer_moves_a_lead_on_the_page(client_for: Any, officer: Any, lead: Any) -> None:
    client = client_for(officer)
    response = client.post(
        f"/investment/projects/{lead.pk}/advance/", {"stage": "contact", "note": "电话联系"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == Stage.CONTACT
    conflict = client.post(
        f"/investment/projects/{lead.pk}/advance/", {"stage": "contact"}, follow=True
    )
    assert "不能直接到" in conflict.content.decode() or "只能推进到" in conflict.content.decode()
