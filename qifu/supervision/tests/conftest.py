from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.appeals.models import Appeal
from qifu.appeals.services import appeal_dispatch, appeal_supervise
from qifu.appeals.tests import conftest as _appeals

category = _appeals.category
make_appeal = _appeals.make_appeal


@pytest.fixture
def supervisor(agency: Any) -> Any:
    """督查领导 without platform-staff roles."""
    return user_create(
        username="ducha_t",
        password="Demo@2026x",
        roles=[Role.SUPERVISOR],
        department=agency,
        validate=False,
    )


@pytest.fixture
def handler(department: Any) -> Any:
    return user_create(
        username="jingban_t",
        password="Demo@2026x",
        roles=[Role.DEPARTMENT_HANDLER],
        department=department,
        validate=False,
    )


@pytest.fixture
def overdue_round(make_appeal: Any, platform_staff: Any, department: Any) -> Any:
    """A dispatch round ten days past its limit."""

    def make(days: int = 10, **kw: Any) -> Appeal:
        appeal = make_appeal(**kw)
        appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
        past = timezone.now() - dt.timedelta(days=days)
        Appeal.objects.filter(pk=appeal.pk).update(
            respond_due_at=past, due_at=past, dispatched_at=past - dt.timedelta(days=4)
        )
        return Appeal.objects.get(pk=appeal.pk)

    return make


@pytest.fixture
def supervised_case(make_appeal: Any, platform_staff: Any, department: Any) -> Any:
    def make(days_ago: int = 5) -> Appeal:
        appeal = make_appeal()
        appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
        appeal_supervise(appeal=appeal, user=platform_staff, note="")
        Appeal.objects.filter(pk=appeal.pk).update(
            supervised_at=timezone.now() - dt.timedelta(days=days_ago)
        )
        return Appeal.objects.get(pk=appeal.pk)

    return make
