"""Fixtures of the policy tests: the exchange-format data set under data/, loaded by the import."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import time_machine

from qifu.accounts.models import Department, DepartmentKind, Enterprise, User
from qifu.policies.imports import (
    clean_enterprise_row,
    clean_policy_row,
    policy_issuers_by_name,
    towns_by_name,
)
from qifu.policies.services import enterprise_import, policy_import

DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 6, 15)
# 10:00 in Rongcheng (UTC+8) on TODAY.
NOW = dt.datetime(2026, 6, 15, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def on_today() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def chengshan(db: Any) -> Department:
    return Department.objects.create(code="chengshan", name="成山镇", kind=DepartmentKind.TOWN)


@pytest.fixture
def dataset(
    on_today: dt.date,
    department: Department,
    town: Department,
    chengshan: Department,
    superuser: User,
) -> dict[str, Any]:
    """Every enterprise and policy of data/matching.json, imported through the services."""
    data = json.loads((DATA / "matching.json").read_text(encoding="utf-8"))
    towns, issuers = towns_by_name(), policy_issuers_by_name()
    for row in data["enterprises"]:
        enterprise_import(data=clean_enterprise_row(row, towns=towns))
    for row in data["policies"]:
        policy_import(data=clean_policy_row(row, issuers=issuers), actor=superuser)
    return {
        "seafood": Enterprise.objects.get(credit_code="913710820000056A4N"),
        "rv": Enterprise.objects.get(credit_code="913710820000056B2H"),
        "startup": Enterprise.objects.get(credit_code="913710820000056C0C"),
    }


@pytest.fixture
def make_user(db: Any) -> Any:
    """An enterprise administrator of the given enterprise."""
    from qifu.accounts.models import Role
    from qifu.accounts.services import user_create

    def make(enterprise: Enterprise, **kw: Any) -> User:
        return user_create(
            username=f"u{enterprise.credit_code[-6:].lower()}",
            password="Test@2026pw",
            roles=[Role.ENTERPRISE_ADMIN],
            enterprise=enterprise,
            validate=False,
            **kw,
        )

    return make
