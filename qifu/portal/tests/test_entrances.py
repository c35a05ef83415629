"""The national-portal entrances: sections, site search, 办件进度查询, 联系我们, 好差评."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from qifu.accounts.models import User
from qifu.appeals.models import Appeal
from qifu.notifications.sms import MemoryBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["services", "space", "policy", "investment"])
def test_each_section_opens_its_own_page(client: Client, code: str) -> None:
    response = client.get(reverse("portal:section", args=[code]))
    assert response.status_code == 200
    html = response.content.decode()
    # The header marks this section as the current page.
    assert re.search(rf'href="/section/{code}/" aria-current="page">', html)


def test_an_unknown_section_is_not_found(client: Client) -> None:
    assert client.get("/section/nothing/").status_code == 404


def test_staff_see_the_work_pages_of_their_section_and_enterprises_do_not(
    client_for: Any, department_admin: Any, enterprise_user: Any
) -> None:
    url = reverse("portal:section", args=["policy"])
    staff = client_for(department_admin).get(url).content.decode()
    assert "工作人员入口" in staff
    assert 'href="/policies/manage/"' in staff and 'href="/policies/review/"' in staff
    assert 'href="/appeals/manage/"' not in staff  # a department handles its own inbox
    own = client_for(enterprise_user).get(url).content.decode()
    assert "工作人员入口" not in own and "/policies/manage/" not in own


def test_inner_pages_highlight_their_section_and_show_its_menu(
    client_for: Any, enterprise_user: Any
) -> None:
    html = client_for(enterprise_user).get(reverse("appeals:mine")).content.decode()
    assert 'href="/section/policy/" aria-current="true">政策诉求' in html
    assert 'aria-label="政策诉求栏目"' in html


def test_the_home_page_has_the_national_portal_entrances(client: Client, settings: Any) -> None:
    settings.SITE_INFO = {
        **settings.SITE_INFO,
        "site_code": "3710820001",
        "icp": "鲁ICP备12345678号",
        "police_filing": "鲁公网安备 37108202000123号",
    }
    html = client.get("/").content.decode()
    for text in ("站内搜索", "办件进度查询", "好差评", "12345", "联系我们", "通知公告"):
        assert text in html
    assert "诉求、留言、咨询，选哪个？" in html
    assert "网站标识码：3710820001" in html and "鲁ICP备12345678号" in html
    assert "code=37108202000123" in html


def test_filing_numbers_that_are_not_configured_are_not_shown(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "网站标识码" not in html and "ICP" not in html


@pytest.fixture
def demo(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=StringIO())


def test_on_the_demo_data_search_progress_contact_and_evaluation_work(
    client: Client, client_for: Any, demo: None
) -> None:
    # One seeding for all four: the demo data takes seconds to build.
    _site_search_finds_policies_and_matters(client)
    _a_visitor_sees_progress_only_after_proving_the_phone(client)
    _the_owner_goes_straight_to_the_item(client_for)
    _contact_and_evaluation_pages_open_for_everyone(client)


def _site_search_finds_policies_and_matters(client: Client) -> None:
    html = client.get(reverse("portal:search"), {"q": "食品生产许可"}).content.decode()
    assert "办事事项" in html and "食品生产许可" in html
    policies = client.get(reverse("portal:search"), {"q": "技术改造"}).content.decode()
    assert '<a href="/policies/p/' in policies


def _a_visitor_sees_progress_only_after_proving_the_phone(client: Client) -> None:
    appeal = Appeal.objects.exclude(contact_phone="").select_related("enterprise").first()
    assert appeal is not None
    url = reverse("portal:progress")
    # A wrong phone: the same answer, but no code is delivered to anyone.
    MemoryBackend.outbox.clear()
    client.post(url, {"number": appeal.number, "phone": "13800000000", "action": "send_code"})
    assert MemoryBackend.outbox == []
    client.post(
        url, {"number": appeal.number, "phone": appeal.contact_phone, "action": "send_code"}
    )
    code = re.search(r"\d{6}", MemoryBackend.outbox[-1].text).group(0)  # type: ignore[union-attr]
    wrong = client.post(
        url, {"number": appeal.number, "phone": appeal.contact_phone, "code": "000000"}
    )
    assert wrong.status_code == 400 and appeal.title not in wrong.content.decode()
    response = client.post(
        url, {"number": appeal.number, "phone": appeal.contact_phone, "code": code}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert appeal.title in html and appeal.get_stage_display() in html


def _the_owner_goes_straight_to_the_item(client_for: Any) -> None:
    appeal = Appeal.objects.exclude(contact_phone="").first()
    assert appeal is not None
    owner = User.objects.filter(enterprise_id=appeal.enterprise_id).first()
    response = client_for(owner).post(
        reverse("portal:progress"), {"number": appeal.number, "action": "lookup"}
    )
    assert response["Location"] == reverse("appeals:detail", args=[appeal.pk])


def _contact_and_evaluation_pages_open_for_everyone(client: Client) -> None:
    contact = client.get(reverse("portal:contact")).content.decode()
    assert "荣成市行政审批服务局" in contact and "12345" in contact
    evaluation = client.get(reverse("portal:evaluation")).content.decode()
    assert "登录企业账号" in evaluation


@pytest.mark.parametrize(
    ("url_name", "current"),
    [("appeals:new", "企业诉求"), ("board:new", "我要留言"), ("assistant:ask", "我要咨询")],
)
def test_the_three_doors_each_carry_the_chooser_marking_themselves(
    client_for: Any, enterprise_user: Any, url_name: str, current: str
) -> None:
    html = client_for(enterprise_user).get(reverse(url_name)).content.decode()
    assert "诉求、留言、咨询，选哪个？" in html
    assert f'aria-current="page"><span class="qifu-chooser-name">{current}</span>' in html
