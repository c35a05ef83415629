"""Personas and data of the investment section: 商务局 with its administrator, liaison (the
reviewer) and an officer, a leader, and helpers that publish database items and make leads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import _user
from qifu.accounts.models import Department, DepartmentKind, Role, User
from qifu.investment.catalogue import KINDS, catalogue_create
from qifu.investment.models import Lead, Park
from qifu.investment.services.leads import lead_create
from qifu.projects.services import project_templates_load
from qifu.publishing import services as publishing


@pytest.fixture
def commerce(db: Any) -> Department:
    return Department.objects.create(
        code="swj",
        name="荣成市商务局",
        short_name="商务局",
        kind=DepartmentKind.AGENCY,
        sections=["investment"],
    )


@pytest.fixture
def investment_admin(commerce: Department) -> User:
    """商务局's administrator: sees the whole pipeline, assigns leads."""
    return _user(
        "shangwu_t",
        [Role.DEPARTMENT_ADMIN],
        department=commerce,
        real_name="刘晓燕",
        phone="13900000021",
    )


@pytest.fixture
def reviewer(commerce: Department) -> User:
    """商务局's liaison, who reviews the database before it is published."""
    return _user("swlianluo_t", [Role.LIAISON], department=commerce, real_name="鞠红霞")


@pytest.fixture
def officer(commerce: Department) -> User:
    return _user(
        "zhaoshang_t",
        [Role.DEPARTMENT_HANDLER],
        department=commerce,
        real_name="董志刚",
        phone="13900000022",
    )


@pytest.fixture
def other_officer(commerce: Department) -> User:
    return _user("zhaoshang2_t", [Role.DEPARTMENT_HANDLER], department=commerce, real_name="王丽娜")


@pytest.fixture
def leader(db: Any) -> User:
    office = Department.objects.create(
        code="zfb", name="荣成市人民政府办公室", kind=DepartmentKind.DEPARTMENT
    )
    return _user("ducha_t", [Role.SUPERVISOR], department=office, real_name="梁国庆")


def publish(item: Any, author: User, reviewer: User) -> Any:
    item = publishing.publication_submit(item=item, actor=author)
    item = publishing.publication_approve(item=item, actor=reviewer)
    return publishing.publication_publish(item=item, actor=reviewer)


@pytest.fixture
def park(investment_admin: User, reviewer: User, town: Department) -> Park:
    item = catalogue_create(
        kind=KINDS["parks"],
        author=investment_admin,
        values={
            "name": "海洋生物食品产业园",
            "name_en": "Marine Bio-Food Industrial Park",
            "level": "city",
            "town": town,
            "latitude": Decimal("37.162"),
            "longitude": Decimal("122.488"),
            "planned_area": Decimal("600"),
            "available_land": Decimal("85"),
            "leading_industries": "海洋食品精深加工",
            "leading_industries_en": "Advanced seafood processing",
        },
    )
    return publish(item, investment_admin, reviewer)  # type: ignore[no-any-return]


def new_lead(actor: User, **fields: Any) -> Lead:
    values: dict[str, Any] = {
        "company": "宁波海宸船舶配套股份有限公司",
        "contact_name": "周建国",
        "phone": "13805748812",
        "country": "中国",
        "province": "浙江",
        "industry": "船舶配套",
        "industry_code": "C3734",
        "amount": Decimal("35000"),
        "owner": actor,
    }
    values.update(fields)
    return lead_create(actor=actor, **values)


@pytest.fixture
def lead(officer: User) -> Lead:
    return new_lead(officer)


@pytest.fixture
def templates(db: Any) -> None:
    project_templates_load()
