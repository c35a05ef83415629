from __future__ import annotations

from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from qifu.accounts.models import (
    Department,
    DepartmentKind,
    Enterprise,
    Qualification,
    Role,
    RoleGrant,
    Scale,
    User,
)
from qifu.accounts.validators import validate_credit_code
from qifu.core.models import AuditEvent
from qifu.demo import enterprises, organisations, seeding
from qifu.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from qifu.demo.enterprises import (
    BANDS,
    JITTER,
    QIYE2_CREDIT_CODE,
    QIYE_CREDIT_CODE,
    SPECS,
    id_number,
    seed_synthetic,
)

pytestmark = pytest.mark.django_db


def seed(**options: Any) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "users": User.objects.count(),
        "roles": RoleGrant.objects.count(),
        "enterprises": Enterprise.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def curated() -> Any:
    """The demo's own enterprises, not those that joined through the investment pipeline."""
    return Enterprise.objects.filter(investment_leads__isnull=True)


def demo_enterprises() -> list[Enterprise]:
    return list(curated().filter(credit_code__startswith="91371082").order_by("pk"))


def test_every_demo_account_signs_in_with_the_demo_password() -> None:
    seed()
    request = RequestFactory().post("/accounts/login/")
    for account in ACCOUNTS:
        user = authenticate(request, username=account.username, password=DEMO_PASSWORD)
        assert user is not None, account.username
        assert authenticate(request, username=account.username, password="wrong") is None


def test_contract_accounts_have_their_roles_departments_and_enterprises() -> None:
    seed()
    users = {u.username: u for u in User.objects.select_related("department", "enterprise")}
    assert users["admin"].is_superuser
    assert users["pingtai"].department.code == "xzsp"
    assert users["pingtai"].role_set == {Role.PLATFORM_STAFF, Role.LIAISON}
    assert users["gongxin"].department.code == "gxj"
    assert users["zhujian"].department.name == "荣成市住房和城乡建设局"
    assert users["shangwu"].department.code == "swj"
    for name in ("gongxin", "zhujian", "shangwu"):
        assert users[name].role_set == {Role.DEPARTMENT_ADMIN}
        assert users[name].is_government
    qiye, qiye2 = users["qiye"], users["qiye2"]
    assert qiye.is_enterprise_admin and qiye2.is_enterprise_admin
    assert qiye.enterprise.credit_code == QIYE_CREDIT_CODE
    assert qiye.enterprise.industry.startswith("C13")
    assert qiye.enterprise.region.name == "俚岛镇"
    assert qiye2.enterprise.credit_code == QIYE2_CREDIT_CODE
    assert not qiye2.enterprise.industry.startswith("C13")


def test_one_liaison_per_platform_agency() -> None:
    seed()
    liaisons = RoleGrant.objects.filter(role=Role.LIAISON).values_list(
        "department__code", flat=True
    )
    assert sorted(liaisons) == ["gxj", "swj", "xzsp"]


def test_agencies_run_the_four_sections_and_towns_have_coordinates() -> None:
    seed()
    agencies = {d.code: d.sections for d in Department.objects.filter(kind=DepartmentKind.AGENCY)}
    assert agencies == {"xzsp": ["services", "space"], "gxj": ["policy"], "swj": ["investment"]}
    towns = Department.objects.filter(kind=DepartmentKind.TOWN)
    assert towns.count() == 22
    for town in towns:
        assert Decimal("36.80") <= town.latitude <= Decimal("37.46"), town.name
        assert Decimal("122.15") <= town.longitude <= Decimal("122.72"), town.name
    assert Department.objects.get(code="ningjin").parent.name == "石岛管理区管理委员会"
    assert Department.objects.get(code="zfb").name == "荣成市人民政府办公室"
    assert Department.objects.filter(kind=DepartmentKind.DEPARTMENT).count() >= 20


def test_about_sixty_enterprises_with_valid_codes_in_towns_and_consistent_figures() -> None:
    seed()
    rows = demo_enterprises()
    assert len(rows) == len(SPECS)
    assert 55 <= len(rows) <= 70
    assert len({e.name for e in rows}) == len(rows)
    for e in rows:
        e.full_clean()
        validate_credit_code(e.credit_code)
        assert e.region is not None and e.region.kind == DepartmentKind.TOWN
        assert abs(e.latitude - e.region.latitude) <= Decimal(str(JITTER))
        assert abs(e.longitude - e.region.longitude) <= Decimal(str(JITTER))
        (e_low, e_high), (r_low, r_high), _ = BANDS[e.scale]
        assert e_low <= e.employees <= e_high and r_low <= e.revenue <= r_high
        assert (Qualification.ABOVE_SCALE in e.qualifications) == (e.revenue >= 2000)
        if Qualification.LITTLE_GIANT in e.qualifications:
            assert Qualification.SPECIALIZED_NEW in e.qualifications
        if Qualification.TECH_SME in e.qualifications:
            assert e.employees <= 500 and e.revenue <= 20000
        number = e.legal_representative_id_number
        assert number == id_number(birth=_birth(number), sequence=int(number[14:17]))
    assert {e.scale for e in rows} == set(Scale.values)
    assert len({e.region_id for e in rows}) == 22


def _birth(number: str) -> Any:
    from datetime import date

    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def test_a_second_run_adds_nothing_and_writes_no_audit_rows() -> None:
    seed()
    before = counts()
    output = seed()
    assert counts() == before
    assert "新增 0" in output


def test_a_changed_demo_enterprise_is_restored_on_the_next_run() -> None:
    seed()
    Enterprise.objects.filter(credit_code=QIYE_CREDIT_CODE).update(revenue=Decimal("1"))
    output = seed()
    assert Enterprise.objects.get(credit_code=QIYE_CREDIT_CODE).revenue > 2000
    assert "更新 1" in output
    assert AuditEvent.objects.filter(action="accounts.enterprise.update").count() == 1


def test_dry_run_saves_nothing() -> None:
    output = seed(dry_run=True)
    assert "试运行" in output
    assert Enterprise.objects.count() == 0 and User.objects.count() == 0


def test_synthetic_enterprises_are_valid_and_added_only_once() -> None:
    organisations.seed(stdout=StringIO())
    assert seed_synthetic(count=50, stdout=StringIO()) == 50
    assert seed_synthetic(count=50, stdout=StringIO()) == 0
    assert seed_synthetic(count=60, stdout=StringIO()) == 10
    synthetic = Enterprise.objects.all()
    assert synthetic.count() == 60
    for e in synthetic[:20]:
        e.full_clean()


def test_synthetic_enterprises_need_the_towns_first() -> None:
    with pytest.raises(RuntimeError):
        seed_synthetic(count=1, stdout=StringIO())


def test_scale_adds_each_volume_step_per_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    small = seeding.VolumeStep("企业", 7, enterprises.seed_synthetic)
    monkeypatch.setattr(seeding, "VOLUME", [small])
    seed(scale=2)
    assert curated().count() == len(SPECS) + 14
    seed(scale=2)
    assert curated().count() == len(SPECS) + 14


def test_a_negative_scale_is_refused() -> None:
    with pytest.raises(CommandError):
        seed(scale=-1)


def test_the_official_holiday_schedules_are_loaded() -> None:
    from qifu.workdays.models import Holiday

    seed()
    spring = Holiday.objects.get(on="2026-02-16")
    assert not spring.is_workday
    assert Holiday.objects.get(on="2026-02-14").is_workday
