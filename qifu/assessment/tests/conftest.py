"""A small, hand-counted month (September 2026) of appeals for the assessment tests.

Working days: 1–4, 7–11, 14–18, 20 (make-up), 21–24, 28–30 September; 25 is 中秋.

- A1 工信局: dispatched Tue 1 Sep, contact, a 13-character response on 2 Sep (on time, too short),
  satisfied call (5).
- A2 工信局: dispatched Mon 7 Sep (due Thu 10, contact due Tue 8), contact Wed 9 (late), response
  Mon 14 (late), unsatisfied call (2) on 15 Sep; re-dispatched to 工信局 on 15 Sep, never answered
  (open past its limit at the end of the month, never contacted).
- A3 工信局 → 住建局: dispatched Tue 8 Sep, returned Wed 9 10:00 without contact; re-dispatched to
  住建局 at 11:00, contact at 12:00, 5 more working days approved on 10 Sep, response Wed 16 (after
  the statutory Mon 14, within the extension), satisfied call (4).
- A4 住建局: dispatched Mon 21 Sep, supervised at 11:00, never contacted nor answered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from qifu.accounts.models import Role, User
from qifu.accounts.services import user_create
from qifu.appeals import services
from qifu.appeals.models import AppealCategory, Extension
from qifu.appeals.services import appeal_file

SH = ZoneInfo("Asia/Shanghai")
LONG = "已与企业负责人现场核实情况，协调有关单位按规定办理完毕，并告知企业后续联系人和办理渠道。"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def assessor(agency: Any) -> User:
    return user_create(
        username="kaohe_t",
        password="Test@2026pw",
        roles=[Role.ASSESSOR],
        validate=False,
        department=agency,
        real_name="考核员",
    )


@pytest.fixture
def reviewer(agency: Any) -> User:
    return user_create(
        username="ducha_t",
        password="Test@2026pw",
        roles=[Role.SUPERVISOR],
        validate=False,
        department=agency,
        real_name="督查",
    )


@pytest.fixture
def september(
    db: Any,
    enterprise_user: User,
    platform_staff: User,
    department: Any,
    other_department: Any,
    department_admin: User,
    other_department_admin: User,
) -> dict[str, Any]:
    category = AppealCategory.objects.create(
        code="ZC", name="政策咨询", default_department=department
    )
    staff, gxj, zjj = platform_staff, department_admin, other_department_admin

    def go(when: dt.datetime, fn: Any, **kw: Any) -> Any:
        with time_machine.travel(when, tick=False):
            return fn(**kw)

    def new(title: str, when: dt.datetime) -> Any:
        with time_machine.travel(when, tick=False):
            appeal, _ = appeal_file(
                user=enterprise_user,
                title=title,
                content=f"{title}，请协调办理。",
                category=category,
                contact_name="张经理",
                contact_phone="13905310001",
            )
        return appeal

    def contact(appeal: Any, user: User, when: dt.datetime) -> None:
        go(
            when,
            services.appeal_contact,
            appeal=appeal,
            user=user,
            way="phone",
            content="电话联系企业。",
        )

    a1 = new("技改奖补资金未到账", at(2026, 9, 1, 9, 0))
    go(
        at(2026, 9, 1, 10, 0),
        services.appeal_dispatch,
        appeal=a1,
        user=staff,
        department=department,
    )
    contact(a1, gxj, at(2026, 9, 1, 11, 0))
    go(
        at(2026, 9, 2, 10, 0),
        services.appeal_respond,
        appeal=a1,
        user=gxj,
        result="已与企业沟通，问题已解决。",
    )
    go(
        at(2026, 9, 3, 10, 0),
        services.appeal_followup,
        appeal=a1,
        user=staff,
        satisfied=True,
        score=5,
    )

    a2 = new("用电增容申请缓慢", at(2026, 9, 7, 9, 0))
    go(
        at(2026, 9, 7, 10, 0),
        services.appeal_dispatch,
        appeal=a2,
        user=staff,
        department=department,
    )
    contact(a2, gxj, at(2026, 9, 9, 10, 0))
    go(at(2026, 9, 14, 10, 0), services.appeal_respond, appeal=a2, user=gxj, result=LONG)
    go(
        at(2026, 9, 15, 10, 0),
        services.appeal_followup,
        appeal=a2,
        user=staff,
        satisfied=False,
        score=2,
    )
    go(
        at(2026, 9, 15, 11, 0),
        services.appeal_dispatch,
        appeal=a2,
        user=staff,
        department=department,
    )

    a3 = new("厂区道路货车通行困难", at(2026, 9, 8, 9, 0))
    go(
        at(2026, 9, 8, 10, 0),
        services.appeal_dispatch,
        appeal=a3,
        user=staff,
        department=department,
    )
    go(
        at(2026, 9, 9, 10, 0),
        services.appeal_return,
        appeal=a3,
        user=gxj,
        reason="不属本单位职责，请改派。",
    )
    go(
        at(2026, 9, 9, 11, 0),
        services.appeal_dispatch,
        appeal=a3,
        user=staff,
        department=other_department,
    )
    contact(a3, zjj, at(2026, 9, 9, 12, 0))
    go(
        at(2026, 9, 10, 9, 0),
        services.appeal_extension_request,
        appeal=a3,
        user=zjj,
        working_days=5,
        reason="需要现场核查。",
    )
    extension = Extension.objects.get(appeal=a3)
    go(
        at(2026, 9, 10, 10, 0),
        services.appeal_extension_decide,
        extension=extension,
        user=staff,
        approve=True,
    )
    go(at(2026, 9, 16, 10, 0), services.appeal_respond, appeal=a3, user=zjj, result=LONG)
    go(
        at(2026, 9, 16, 15, 0),
        services.appeal_followup,
        appeal=a3,
        user=staff,
        satisfied=True,
        score=4,
    )

    a4 = new("施工许可办理受阻", at(2026, 9, 21, 9, 0))
    go(
        at(2026, 9, 21, 10, 0),
        services.appeal_dispatch,
        appeal=a4,
        user=staff,
        department=other_department,
    )
    go(
        at(2026, 9, 21, 11, 0),
        services.appeal_supervise,
        appeal=a4,
        user=staff,
        note="企业多次反映，列入督办。",
    )
    return {
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "a4": a4,
        "gxj": department,
        "zjj": other_department,
        "new": new,
        "staff": staff,
    }
