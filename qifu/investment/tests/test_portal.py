"""The 智慧招商 entries of the home page open real pages, and 商务局 has a workbench panel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qifu.portal.sections import home_sections
from qifu.portal.workbench import panels_for

pytestmark = pytest.mark.django_db


def test_every_entry_of_the_investment_section_opens_a_page(
    client_for: Any, investment_admin: Any
) -> None:
    section = next(s for s in home_sections() if s.code == "investment")
    client = client_for(investment_admin)
    for entry in section.entries:
        assert entry.url is not None, entry.title
        assert client.get(entry.url).status_code == 200, entry.url
    assert Client().get("/invest/").status_code == 200  # 招商推介 needs no account


def test_the_commerce_bureau_has_a_workbench_panel_and_an_enterprise_has_none(
    investment_admin: Any, enterprise_user: Any, lead: Any
) -> None:
    panel = next(p for p in panels_for(investment_admin) if p.title == "智慧招商")
    counters = {c.label: c.value for c in panel.counters}
    assert counters["在谈项目"] == 1 and counters["待首次联系"] == 1
    assert not [p for p in panels_for(enterprise_user) if p.title == "智慧招商"]


def test_a_leader_reads_a_lead_with_the_investors_phone_masked(
    client_for: Any, leader: Any, officer: Any, lead: Any
) -> None:
    as_leader = client_for(leader).get(f"/investment/projects/{lead.pk}/").content.decode()
    assert "13805748812" not in as_leader and "推进到" not in as_leader
    assert (
        "13805748812"
        in client_for(officer).get(f"/investment/projects/{lead.pk}/").content.decode()
    )
