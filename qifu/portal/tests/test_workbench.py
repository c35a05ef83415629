from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qifu.accounts.models import Department, Enterprise, User
from qifu.portal import workbench

pytestmark = pytest.mark.django_db

URL = "/workbench/"


def panel_kinds(html: str) -> set[str]:
    kinds = {"account", "enterprise", "department", "superuser"}
    return {k for k in kinds if f'data-panel="{k}"' in html}


def test_workbench_sends_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_enterprise_user_sees_account_and_own_enterprise_only(
    client_for: Callable[[User], Client],
    enterprise_user: User,
    other_enterprise_user: User,
    department_admin: User,
) -> None:
    html = client_for(enterprise_user).get(URL).content.decode()
    assert panel_kinds(html) == {"account", "enterprise"}
    enterprise = enterprise_user.enterprise
    assert enterprise is not None
    assert enterprise.name in html
    assert enterprise.credit_code in html
    assert "小型" in html and "C1361" in html
    assert other_enterprise_user.enterprise.name not in html  # type: ignore[union-attr]
    assert "139****0001" in html and "13900000001" not in html


def test_enterprise_panel_counts_only_active_users_of_that_enterprise(
    client_for: Callable[[User], Client],
    enterprise_user: User,
    other_enterprise_user: User,
) -> None:
    User.objects.create_user("qiye_colleague", enterprise=enterprise_user.enterprise)
    User.objects.create_user("qiye_gone", enterprise=enterprise_user.enterprise, is_active=False)
    panels = workbench.panels_for(enterprise_user)
    mine = next(p for p in panels if p.extra.get("kind") == "enterprise")
    assert [(c.label, c.value) for c in mine.counters] == [("本企业账号", 2)]


def test_enterprise_panel_names_the_town_when_known(
    client_for: Callable[[User], Client], enterprise_user: User, town: Department
) -> None:
    Enterprise.objects.filter(pk=enterprise_user.enterprise_id).update(region=town)
    html = client_for(enterprise_user).get(URL).content.decode()
    assert "俚岛镇" in html


def test_enterprise_entries_link_only_once_their_page_exists(
    client_for: Callable[[User], Client], enterprise_user: User, monkeypatch: Any
) -> None:
    from qifu.portal import panels, sections

    built = sections.Entry("我的工作台", "portal:workbench", "已建成")
    planned = sections.Entry("企业诉求", "appeals:not_yet_built", "建设中")
    section = sections.HomeSection("policy", "政策诉求", "工业和信息化局", "", (built, planned))
    monkeypatch.setattr(sections, "SECTIONS", (section,))
    monkeypatch.setattr(panels, "ENTERPRISE_ENTRIES", ("portal:workbench", "appeals:not_yet_built"))

    mine = next(
        p for p in workbench.panels_for(enterprise_user) if p.extra.get("kind") == "enterprise"
    )
    assert mine.links == (("我的工作台", "/workbench/"),)
    assert mine.extra["pending"] == ["企业诉求"]
    html = client_for(enterprise_user).get(URL).content.decode()
    assert '<li><a href="/workbench/">我的工作台</a></li>' in html
    assert "建设中：企业诉求" in html


def test_platform_staff_sees_own_department_and_its_sections(
    client_for: Callable[[User], Client],
    platform_staff: User,
    department_admin: User,
) -> None:
    html = client_for(platform_staff).get(URL).content.decode()
    assert panel_kinds(html) == {"account", "department"}
    assert "荣成市行政审批服务局" in html
    assert "办事服务、专属空间" in html
    panel = next(
        p for p in workbench.panels_for(platform_staff) if p.extra.get("kind") == "department"
    )
    counters = {c.label: c.value for c in panel.counters}
    assert counters == {"本部门账号": 1, "全市部门和镇街": Department.objects.count()}
    titles = {label for label, _ in panel.links} | set(panel.extra["pending"])
    # The space's agency works the space through its coverage page, never "我的空间" (403).
    assert {"我要办事", "服务覆盖", "留言处理"} <= titles
    assert "我的空间" not in titles
    assert dict(panel.links)["服务覆盖"] == "/workspace/coverage/"
    assert "企业诉求" not in titles  # 政策诉求 belongs to 工信局


def test_department_admin_sees_the_policy_section_entries(
    client_for: Callable[[User], Client], department_admin: User
) -> None:
    html = client_for(department_admin).get(URL).content.decode()
    assert panel_kinds(html) == {"account", "department"}
    assert "荣成市工业和信息化局" in html
    assert "负责版块</dt><dd>政策诉求</dd>" in html
    assert "部门管理员" in html


def test_department_without_a_section_says_so(
    client_for: Callable[[User], Client], other_department_admin: User
) -> None:
    html = client_for(other_department_admin).get(URL).content.decode()
    assert "无（处理派发的诉求、发布本部门信息）" in html


def test_superuser_sees_system_management_with_real_counts(
    client_for: Callable[[User], Client],
    superuser: User,
    enterprise_user: User,
    platform_staff: User,
) -> None:
    html = client_for(superuser).get(URL).content.decode()
    assert panel_kinds(html) == {"account", "superuser"}
    assert f'href="{reverse("admin:index")}"' in html
    panel = next(p for p in workbench.panels_for(superuser) if p.extra.get("kind") == "superuser")
    assert {c.label: c.value for c in panel.counters} == {
        "有效账号": 3,
        "企业": 1,
        "部门和镇街": 1,
    }


def test_superuser_panel_links_the_audit_log_only_once_it_exists(superuser: User) -> None:
    from django.urls import NoReverseMatch

    panel = next(p for p in workbench.panels_for(superuser) if p.extra.get("kind") == "superuser")
    try:
        reverse("core:audit")
    except NoReverseMatch:
        assert panel.extra["pending"] == ["审计日志"]
        assert [label for label, _ in panel.links] == ["数据维护（后台管理）"]
    else:
        assert ("审计日志", reverse("core:audit")) in panel.links


def test_account_panel_lists_roles_and_organisation(
    client_for: Callable[[User], Client], department_admin: User
) -> None:
    panel = next(
        p for p in workbench.panels_for(department_admin) if p.extra.get("kind") == "account"
    )
    facts = dict(panel.extra["facts"])
    assert facts["账号"] == "gongxin_t"
    assert facts["姓名"] == "李工"
    assert facts["角色"] == "部门管理员"
    assert facts["所属单位"] == "荣成市工业和信息化局"
    assert facts["手机号"] == "未绑定"


def test_user_without_roles_still_gets_an_account_panel(
    client_for: Callable[[User], Client], db: Any
) -> None:
    user = User.objects.create_user("plain")
    html = client_for(user).get(URL).content.decode()
    assert panel_kinds(html) == {"account"}
    assert "未分配角色" in html


def test_role_panels_cost_a_few_queries_each(
    enterprise_user: User,
    department_admin: User,
    superuser: User,
    django_assert_max_num_queries: Any,
) -> None:
    from qifu.portal import panels

    for user, provider in (
        (enterprise_user, panels.enterprise_panel),
        (department_admin, panels.department_panel),
        (superuser, panels.superuser_panel),
    ):
        fresh = User.objects.get(pk=user.pk)
        with django_assert_max_num_queries(5):
            assert len(provider(fresh)) == 1
            panels.account_panel(fresh)
