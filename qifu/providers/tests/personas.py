"""Provider personas for every app that works with providers (loaded by the root conftest):
`make_provider(kind=…)` returns an approved provider and its administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from qifu.accounts.models import Role, User
from qifu.accounts.services import user_create
from qifu.accounts.validators import build_credit_code
from qifu.providers.models import Provider, ProviderKind, ProviderMember, ProviderStatus

PROVIDER_PASSWORD = "Test@2026pw"

MakeProvider = Callable[..., tuple[Provider, User]]


@pytest.fixture
def make_provider(db: Any) -> MakeProvider:
    counter = {"n": 5000}

    def make(
        *, kind: str = ProviderKind.BANK, name: str = "", username: str = "", **fields: Any
    ) -> tuple[Provider, User]:
        counter["n"] += 1
        n = counter["n"]
        provider = Provider.objects.create(
            name=name or f"测试{ProviderKind(kind).label}{n}",
            credit_code=build_credit_code(serial=n, category="91"),
            kind=kind,
            status=fields.pop("status", ProviderStatus.APPROVED),
            contact_name="联系人",
            contact_phone="0631-7500000",
            **fields,
        )
        user = user_create(
            username=username or f"provider{n}",
            password=PROVIDER_PASSWORD,
            roles=[Role.PROVIDER],
            validate=False,
            real_name=f"机构用户{n}",
        )
        user.organisation_name = provider.name
        user.save(update_fields=["organisation_name"])
        ProviderMember.objects.create(user=user, provider=provider, is_admin=True)
        return provider, user

    return make


@pytest.fixture
def bank(make_provider: MakeProvider) -> tuple[Provider, User]:
    return make_provider(kind=ProviderKind.BANK, name="威海银行荣成支行（测试）", username="yh_t")


@pytest.fixture
def other_bank(make_provider: MakeProvider) -> tuple[Provider, User]:
    return make_provider(kind=ProviderKind.BANK, name="农行荣成市支行（测试）", username="yh2_t")


@pytest.fixture
def bank_user(bank: tuple[Provider, User]) -> User:
    return bank[1]


@pytest.fixture
def other_bank_user(other_bank: tuple[Provider, User]) -> User:
    return other_bank[1]
