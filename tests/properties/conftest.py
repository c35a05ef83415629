"""Personas and objects shared by the property tests of the workflow processes."""

from __future__ import annotations

from typing import Any

import pytest

from qifu.appeals.models import AppealCategory


@pytest.fixture
def category(db: Any, department: Any) -> AppealCategory:
    return AppealCategory.objects.create(
        code="ZC", name="政策咨询", default_department=department, sort_order=1
    )


@pytest.fixture
def served(enterprise: Any, commissioner: Any, platform_staff: Any) -> Any:
    """The `commissioner` persona serves the `enterprise` persona (专员服务)."""
    from qifu.workspace.models import AssignmentRole
    from qifu.workspace.services.assignments import assignment_set

    assignment_set(
        enterprise=enterprise,
        role=AssignmentRole.COMMISSIONER,
        user=commissioner,
        actor=platform_staff,
    )
    return enterprise


@pytest.fixture
def other_steward(agency: Any) -> Any:
    from conftest import _user
    from qifu.accounts.models import Role

    return _user("guanjia2_t", [Role.STEWARD], department=agency, real_name="于管家")


def pytest_sessionfinish(session: Any) -> None:
    import os

    if os.environ.get("QIFU_PROPERTY_COVERAGE"):
        from tests.properties.harness import REACHED

        for name, states in sorted(REACHED.items()):
            print(f"\n{name}: {sorted(states)}")


@pytest.fixture
def matter(department: Any) -> Any:
    from qifu.matters.tests.conftest import make_matter

    return make_matter(department)


@pytest.fixture
def assigned(enterprise: Any, steward: Any) -> Any:
    """The `steward` persona serves the `enterprise` persona (项目管家)."""
    from qifu.projects.tests.conftest import assign_steward

    return assign_steward(enterprise, steward)


@pytest.fixture
def call(department_admin: Any, superuser: Any) -> Any:
    """A call of 工信局 (the `department_admin` persona's), open now, reviewed and published."""
    import datetime as dt

    from django.utils import timezone

    from qifu.declarations.services import call_create
    from qifu.declarations.tests.conftest import MATERIAL
    from qifu.publishing.services import (
        publication_approve,
        publication_publish,
        publication_submit,
    )

    today = timezone.localdate()
    call = call_create(
        author=department_admin,
        title="2026年度“专精特新”企业认定奖励申报",
        body="符合条件的企业请于截止日期前在线申报。",
        criteria={"scales": ["small", "medium"]},
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=30),
        required_materials=[MATERIAL],
        review_working_days=5,
        publicity_days=5,
    )
    publication_submit(item=call, actor=department_admin)
    publication_approve(item=call, actor=superuser)
    publication_publish(item=call, actor=department_admin)
    call.refresh_from_db()
    return call


@pytest.fixture
def financial_product(bank_user: Any, department_admin: Any) -> Any:
    """A bank's credit product, reviewed by 工信局 and published (as in qifu/financing/tests)."""
    from decimal import Decimal

    from qifu.financing.models import ProductKind
    from qifu.financing.services import product_create
    from qifu.publishing.services import (
        publication_approve,
        publication_publish,
        publication_submit,
    )

    product = product_create(
        author=bank_user,
        name="科创e贷",
        kind=ProductKind.CREDIT,
        amount_min=Decimal("10"),
        amount_max=Decimal("500"),
        term_min_months=6,
        term_max_months=36,
        rate_min=Decimal("3.30"),
        rate_max=Decimal("4.50"),
        conditions="征信良好",
    )
    product = publication_submit(item=product, actor=bank_user)
    product = publication_approve(item=product, actor=department_admin)
    return publication_publish(item=product, actor=department_admin)
