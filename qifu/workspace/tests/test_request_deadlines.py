"""Open service requests follow a 2027 holiday table when it is imported (issue 10)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from qifu.notifications.models import Notification
from qifu.workdays.recompute import deadlines_recompute
from qifu.workspace.models import AssignmentRole, RequestStatus
from qifu.workspace.services import requests as services
from qifu.workspace.services.assignments import assignment_set

TZ = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, 0, tzinfo=TZ)


def test_importing_2027_moves_the_completion_deadline_and_says_so_on_the_timeline(
    enterprise: Any,
    enterprise_user: Any,
    commissioner: Any,
    platform_staff: Any,
    client_for: Any,
    import_holidays_2027: Any,
    settings: Any,
) -> None:
    assignment_set(
        enterprise=enterprise,
        role=AssignmentRole.COMMISSIONER,
        user=commissioner,
        actor=platform_staff,
    )
    with time_machine.travel(at(2, 3), tick=False):
        request = services.service_request_submit(
            user=enterprise_user,
            kind="archive_query",
            title="调取设立登记档案",
            description="因银行贷款需要，调取公司设立登记档案。",
        )
    with time_machine.travel(at(2, 4), tick=False):
        request = services.service_request_accept(user=commissioner, service_request=request)
    # 3 working days over the estimated 春节 (5–10 February): 11, 12, 15 February.
    assert request.due_at == at(2, 15, 17)
    assert (request.due_from, request.due_working_days) == (at(2, 4), 3)
    # A later change of the configured limit does not touch a request already running.
    settings.SERVICE_REQUEST_WORKING_DAYS = {"archive_query": 10}

    import_holidays_2027()

    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert request.due_at == at(2, 16, 17)
    event = request.events.get(action="deadline_changed")
    assert "办结期限由 2027-02-15 17:00 调整为 2027-02-16 17:00" in event.note
    assert Notification.objects.filter(
        user=commissioner, title__startswith="服务申请期限调整"
    ).exists()
    page = client_for(enterprise_user).get(f"/workspace/requests/{request.pk}/").content.decode()
    assert "期限调整" in page
    assert deadlines_recompute(years=[2027])["workspace"] == 0


def test_an_acceptance_deadline_is_recomputed_and_an_unchanged_one_gets_no_event(
    enterprise_user: Any, import_holidays_2027: Any
) -> None:
    with time_machine.travel(at(2, 4), tick=False):
        moved = services.service_request_submit(
            user=enterprise_user, kind="change", title="变更登记", description="法定代表人变更。"
        )
    with time_machine.travel(at(3, 1), tick=False):
        unchanged = services.service_request_submit(
            user=enterprise_user, kind="change", title="变更登记二", description="经营范围变更。"
        )
    assert moved.accept_due_at == at(2, 11, 17)

    import_holidays_2027()

    moved.refresh_from_db()
    unchanged.refresh_from_db()
    assert moved.accept_due_at == at(2, 12, 17)
    assert moved.events.filter(action="deadline_changed").count() == 1
    assert unchanged.accept_due_at == at(3, 2, 17)
    assert not unchanged.events.filter(action="deadline_changed").exists()
