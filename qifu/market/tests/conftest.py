"""Fixtures of the 服务超市: law firms and an accounting firm (approved providers with their
administrators), and offerings published through review."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from qifu.accounts.models import User
from qifu.market import services
from qifu.market.models import Offering
from qifu.providers.models import Provider, ProviderKind
from qifu.publishing.services import publication_approve, publication_publish, publication_submit


@pytest.fixture
def law_firm(make_provider: Any) -> tuple[Provider, User]:
    return make_provider(
        kind=ProviderKind.LAW_FIRM, name="山东成山律师事务所（测试）", username="ls_t"
    )


@pytest.fixture
def other_law_firm(make_provider: Any) -> tuple[Provider, User]:
    return make_provider(
        kind=ProviderKind.LAW_FIRM, name="山东荣德律师事务所（测试）", username="ls2_t"
    )


@pytest.fixture
def accounting_firm(make_provider: Any) -> tuple[Provider, User]:
    return make_provider(kind=ProviderKind.ACCOUNTING, name="天元会计（测试）", username="kj_t")


@pytest.fixture
def publish_offering(department_admin: User) -> Callable[..., Offering]:
    """An offering written by a provider's member and published by the 工信局 reviewer."""

    def make(author: User, **fields: Any) -> Offering:
        values: dict[str, Any] = {
            "category": "legal",
            "title": "劳动用工合规体检",
            "description": "对劳动合同、工时、社保逐项检查并出具报告。",
            "price_min": Decimal("8000"),
            "price_max": Decimal("15000"),
            "price_unit": "元/次",
            "area_served": "荣成市",
            "qualifications": "律师事务所执业许可证",
            "promised_working_days": 10,
        }
        values.update(fields)
        offering = services.offering_create(author=author, **values)
        publication_submit(item=offering, actor=author)
        publication_approve(item=offering, actor=department_admin)
        return publication_publish(item=offering, actor=department_admin)

    return make
