from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.appeals.models import Appeal, Assignment
from qifu.appeals.services import appeal_dispatch
from qifu.appeals.tests import conftest as _appeals

category = _appeals.category
other_category = _appeals.other_category
make_appeal = _appeals.make_appeal


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def leader(agency: Any) -> Any:
    return user_create(
        username="ducha_t",
        password="Demo@2026x",
        roles=[Role.SUPERVISOR],
        department=agency,
        validate=False,
    )


@pytest.fixture
def filed(make_appeal: Any, platform_staff: Any, department: Any, town: Any) -> Any:
    """n appeals of the enterprise in `town`, received `days_ago`, dispatched to `department`."""

    def make(n: int = 1, *, days_ago: int = 20, dispatch: bool = True, **kw: Any) -> list[Appeal]:
        made = []
        for _ in range(n):
            appeal = make_appeal(**kw)
            if appeal.enterprise is not None and appeal.enterprise.region_id is None:
                appeal.enterprise.region = town
                appeal.enterprise.save(update_fields=["region"])
            if dispatch:
                appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
            at = timezone.now() - dt.timedelta(days=days_ago)
            Appeal.objects.filter(pk=appeal.pk).update(received_at=at)
            Assignment.objects.filter(appeal=appeal).update(dispatched_at=at)
            made.append(Appeal.objects.get(pk=appeal.pk))
        return made

    return make
