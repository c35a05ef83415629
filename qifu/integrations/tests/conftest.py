from __future__ import annotations

from typing import Any

import pytest

from qifu.appeals.models import AppealCategory


@pytest.fixture
def category(db: Any, department: Any) -> AppealCategory:
    return AppealCategory.objects.create(
        code="ZC",
        name="政策咨询",
        description="奖补资金、政策兑现",
        default_department=department,
        sort_order=1,
    )


@pytest.fixture
def api_key(db: Any, superuser: Any) -> tuple[str, Any]:
    from qifu.integrations.services import api_key_issue

    return api_key_issue(name="12345热线", actor=superuser)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch: Any) -> None:
    # Rate-limit counters live in the cache (qifu.core.ratelimit); every test starts afresh.
    from django.core.cache import cache

    cache.clear()
