"""Personas shared by every test: one of each kind of person who uses the platform."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from qifu.accounts.models import Department, DepartmentKind, Enterprise, Role, User
from qifu.accounts.services import user_create
from qifu.accounts.validators import build_credit_code

PASSWORD = "Test@2026pw"

# The personas of 智慧招商 (商务局 staff, its reviewer, a leader) for its own and browser tests.
pytest_plugins = ["qifu.investment.tests.personas", "qifu.providers.tests.personas"]


@pytest.fixture(autouse=True)
def _isolated_side_effects(settings: Any, tmp_path: Any) -> None:
    from django.core.cache import cache

    from qifu.assistant import engine
    from qifu.notifications.sms import MemoryBackend

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False
    # Rate-limit counters (API, SMS caps) live in the cache, which outlives a test.
    cache.clear()
    MemoryBackend.outbox.clear()
    # Each test's database restarts the knowledge-base version at 0: forget the cached index.
    engine.reset()


@pytest.fixture
def agency(db: Any) -> Department:
    return Department.objects.create(
        code="xzsp",
        name="荣成市行政审批服务局",
        short_name="行政审批服务局",
        kind=DepartmentKind.AGENCY,
        sections=["services", "space"],
    )


@pytest.fixture
def department(db: Any) -> Department:
    return Department.objects.create(
        code="gxj",
        name="荣成市工业和信息化局",
        short_name="工信局",
        kind=DepartmentKind.AGENCY,
        sections=["policy"],
    )


@pytest.fixture
def other_department(db: Any) -> Department:
    return Department.objects.create(
        code="zjj",
        name="荣成市住房和城乡建设局",
        short_name="住建局",
        kind=DepartmentKind.DEPARTMENT,
    )


@pytest.fixture
def town(db: Any) -> Department:
    return Department.objects.create(
        code="lidao",
        name="俚岛镇",
        kind=DepartmentKind.TOWN,
        latitude="37.250",
        longitude="122.566",
    )


@pytest.fixture
def make_enterprise(db: Any) -> Callable[..., Enterprise]:
    counter = {"n": 1000}

    def make(**fields: Any) -> Enterprise:
        counter["n"] += 1
        defaults: dict[str, Any] = {
            "credit_code": build_credit_code(serial=counter["n"]),
            "name": f"荣成市测试{counter['n']}水产食品有限公司",
            "industry": "C1361",
            "scale": "small",
            "employees": 50,
            "contact_phone": "13805310001",
        }
        defaults.update(fields)
        return Enterprise.objects.create(**defaults)

    return make


@pytest.fixture
def enterprise(make_enterprise: Callable[..., Enterprise]) -> Enterprise:
    return make_enterprise(name="荣成市海润水产食品有限公司")


@pytest.fixture
def other_enterprise(make_enterprise: Callable[..., Enterprise]) -> Enterprise:
    return make_enterprise(name="山东远航房车制造有限公司", industry="C3612")


def _user(username: str, roles: list[str], **kw: Any) -> User:
    return user_create(username=username, password=PASSWORD, roles=roles, validate=False, **kw)


@pytest.fixture
def enterprise_user(enterprise: Enterprise) -> User:
    return _user("qiye_t", [Role.ENTERPRISE_ADMIN], enterprise=enterprise, phone="13900000001")


@pytest.fixture
def other_enterprise_user(other_enterprise: Enterprise) -> User:
    return _user("qiye2_t", [Role.ENTERPRISE_ADMIN], enterprise=other_enterprise)


@pytest.fixture
def platform_staff(agency: Department) -> User:
    return _user("pingtai_t", [Role.PLATFORM_STAFF], department=agency, real_name="王平")


@pytest.fixture
def commissioner(agency: Department) -> User:
    """A service commissioner (服务专员) at the agency running the exclusive space."""
    return _user(
        "zhuanyuan_t",
        [Role.COMMISSIONER],
        department=agency,
        real_name="毕专员",
        phone="13900000011",
    )


@pytest.fixture
def other_commissioner(agency: Department) -> User:
    return _user(
        "zhuanyuan2_t",
        [Role.COMMISSIONER],
        department=agency,
        real_name="刘专员",
        phone="13900000012",
    )


@pytest.fixture
def steward(agency: Department) -> User:
    """A project steward (项目管家) at the agency running the exclusive space."""
    return _user(
        "guanjia_t", [Role.STEWARD], department=agency, real_name="林管家", phone="13900000013"
    )


@pytest.fixture
def department_admin(department: Department) -> User:
    return _user("gongxin_t", [Role.DEPARTMENT_ADMIN], department=department, real_name="李工")


@pytest.fixture
def other_department_admin(other_department: Department) -> User:
    return _user("zhujian_t", [Role.DEPARTMENT_ADMIN], department=other_department)


@pytest.fixture
def superuser(db: Any) -> User:
    return _user("admin_t", [], is_superuser=True)


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A test client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for() -> Callable[[User], Client]:
    """A test client sending a bearer token of the given user."""
    from qifu.accounts.services import api_token_issue

    def make(user: User) -> Client:
        raw, _ = api_token_issue(user=user)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


# A 2027 schedule as the State Council might publish it (a test table, not the real one): 春节
# 5–11 February with Saturday 20 February worked, where the statutory estimate has 5–10 February.
# A deadline counted from Thursday 4 February moves by one working day when it is imported.
HOLIDAYS_2027 = [
    *((f"2027-01-{d:02d}", False, "元旦") for d in (1, 2, 3)),
    *((f"2027-02-{d:02d}", False, "春节") for d in range(5, 12)),
    ("2027-02-20", True, "春节"),
]


@pytest.fixture
def import_holidays_2027(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Import HOLIDAYS_2027 as an administrator would, running what happens after commit
    (the deadline recompute, the notifications) as the worker would."""
    import datetime as dt

    from qifu.workdays.services import HolidayRow, holidays_import

    def run() -> Any:
        rows = [HolidayRow(dt.date.fromisoformat(on), w, name) for on, w, name in HOLIDAYS_2027]
        with django_capture_on_commit_callbacks(execute=True):
            return holidays_import(rows=rows)

    return run
