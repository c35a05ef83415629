"""Article 11: one liaison per platform agency, one administrator per department or town — the
other half of the rule (who is missing), and no liaison outside the agencies."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from qifu.accounts.models import Role
from qifu.accounts.selectors import unit_coverage
from qifu.accounts.services import role_grant, user_create


def _user(username: str, department: Any, roles: list[str] | None = None) -> Any:
    return user_create(
        username=username,
        password=PASSWORD,
        department=department,
        roles=roles or [],
        validate=False,
    )


def test_a_town_cannot_be_given_a_liaison(town: Any) -> None:
    clerk = _user("lidao_clerk", town)
    with pytest.raises(ValidationError) as info:
        role_grant(user=clerk, role=Role.LIAISON)
    assert "联络员只设于平台管理机构" in info.value.message_dict["role"][0]
    assert not clerk.role_grants.exists()


def test_a_department_cannot_be_given_a_liaison(other_department: Any) -> None:
    with pytest.raises(ValidationError):
        role_grant(user=_user("zjj_clerk", other_department), role=Role.LIAISON)


def test_coverage_lists_agencies_without_liaison_and_units_without_administrator(
    agency: Any, department: Any, other_department: Any, town: Any, department_admin: Any
) -> None:
    coverage = unit_coverage()
    assert {u.code for u in coverage.agencies_without_liaison} == {agency.code, department.code}
    # 工信局 is an agency here (it runs 政策诉求): it needs a liaison, not an administrator.
    assert {u.code for u in coverage.units_without_administrator} == {
        other_department.code,
        town.code,
    }
    role_grant(user=_user("xzsp_liaison", agency), role=Role.LIAISON)
    role_grant(user=_user("lidao_admin", town), role=Role.DEPARTMENT_ADMIN)
    coverage = unit_coverage()
    assert [u.code for u in coverage.agencies_without_liaison] == [department.code]
    assert [u.code for u in coverage.units_without_administrator] == [other_department.code]
    assert coverage.gaps == 2


def test_an_inactive_holder_leaves_the_post_empty(town: Any) -> None:
    admin = _user("lidao_admin", town, [Role.DEPARTMENT_ADMIN])
    assert town not in unit_coverage().units_without_administrator
    admin.is_active = False
    admin.save()
    assert town in unit_coverage().units_without_administrator


def test_platform_administrators_see_the_gaps_on_their_workbench_and_page(
    client_for: Any, platform_staff: Any, agency: Any, town: Any, superuser: Any
) -> None:
    agency.sections = ["services", "space"]
    agency.save()
    for user in (superuser, platform_staff):
        client = client_for(user)
        panels = client.get(reverse("portal:workbench")).context["panels"]
        [panel] = [p for p in panels if p.extra.get("kind") == "unit_coverage"]
        counts = {c.label: c.value for c in panel.counters}
        assert counts == {"缺联络员的管理机构": 1, "缺管理员的部门和镇街": 1}
        page = client.get(reverse("accounts:unit_coverage"))
        assert page.status_code == 200
        html = page.content.decode()
        assert town.name in html and "未配备" in html


def test_others_cannot_open_the_coverage_page(
    client_for: Any, department_admin: Any, enterprise_user: Any, client: Any
) -> None:
    for user in (department_admin, enterprise_user):
        assert client_for(user).get(reverse("accounts:unit_coverage")).status_code == 403
        panels = client_for(user).get(reverse("portal:workbench")).context["panels"]
        assert not [p for p in panels if p.extra.get("kind") == "unit_coverage"]
    assert client.get(reverse("accounts:unit_coverage")).status_code == 302
