"""Reply-rate monitoring: each department's reply rate and on-time rate per period."""

from __future__ import annotations

import datetime as dt
import io
from itertools import count
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qifu.accounts.models import Department, Role, User
from qifu.accounts.services import user_create
from qifu.appeals.models import Appeal, AppealCategory, Assignment, Stage
from qifu.board.models import Message, MessageStatus
from qifu.reports.selectors import period_bounds, reply_rates

TZ = timezone.get_default_timezone()
_numbers = count(1)


def at(day: int, hour: int = 10, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with time_machine.travel("2026-11-26 10:00 +0800", tick=False):
        yield


def _appeal(enterprise: Any, department: Department | None = None, **fields: Any) -> Appeal:
    category, _ = AppealCategory.objects.get_or_create(code="QT", defaults={"name": "其他"})
    return Appeal.objects.create(
        category=category,
        number=f"SQ{next(_numbers):06d}",
        enterprise=enterprise,
        title="设备奖补未到账",
        content="请协调。",
        stage=Stage.DISPATCHED,
        department=department,
        received_at=at(2),
        **fields,
    )


def _dispatch(
    appeal: Appeal,
    department: Department,
    *,
    dispatched: dt.datetime,
    due: dt.datetime,
    responded: dt.datetime | None = None,
    returned: dt.datetime | None = None,
) -> Assignment:
    return Assignment.objects.create(
        appeal=appeal,
        department=department,
        round=appeal.assignments.count() + 1,
        dispatched_at=dispatched,
        respond_due_at=due,
        responded_at=responded,
        returned_at=returned,
    )


def _message(created: dt.datetime, **fields: Any) -> Message:
    message = Message.objects.create(
        number=f"LY{next(_numbers):06d}", title="咨询", content="请问……", **fields
    )
    Message.objects.filter(pk=message.pk).update(created_at=created)
    return message


def _row(rows: list[Any], department: Department, source: str) -> Any:
    return next(r for r in rows if r.department_id == department.pk and r.source == source)


NOVEMBER = (at(1, 0), at(1, 0, month=12))


def test_appeal_dispatches_count_as_replied_and_on_time_by_their_deadline(
    enterprise: Any, department: Department, other_department: Department
) -> None:
    appeal = _appeal(enterprise)
    _dispatch(appeal, department, dispatched=at(3), due=at(6), responded=at(5))  # on time
    _dispatch(appeal, department, dispatched=at(4), due=at(7), responded=at(9))  # late
    _dispatch(appeal, department, dispatched=at(10), due=at(13))  # not replied
    _dispatch(appeal, other_department, dispatched=at(3), due=at(6), returned=at(4))  # returned
    _dispatch(appeal, department, dispatched=at(20, month=10), due=at(25, month=10))  # October

    rows = reply_rates(start=NOVEMBER[0], end=NOVEMBER[1])

    row = _row(rows, department, "appeal")
    assert (row.received, row.replied, row.on_time) == (3, 2, 1)
    assert row.reply_rate == pytest.approx(2 / 3)
    assert row.on_time_rate == pytest.approx(1 / 3)
    # A returned dispatch stays the returning department's: received, not replied, one return.
    returned = _row(rows, other_department, "appeal")
    assert (returned.received, returned.replied, returned.on_time, returned.returned) == (
        1,
        0,
        0,
        1,
    )


def test_messages_are_attributed_to_the_converted_appeals_department_or_the_answering_agency(
    enterprise: Any,
    department: Department,
    agency: Department,
    platform_staff: User,
) -> None:
    late_appeal = _appeal(enterprise, department, responded_at=at(12), respond_due_at=at(10))
    on_time_appeal = _appeal(enterprise, department, responded_at=at(8), respond_due_at=at(10))
    pending_appeal = _appeal(enterprise, department, respond_due_at=at(28))
    for appeal in (late_appeal, on_time_appeal, pending_appeal):
        _message(at(3), status=MessageStatus.CONVERTED, appeal=appeal)
    # Answered directly by platform staff: Thursday 5th + 3 working days = Tuesday 10th.
    _message(at(5), status=MessageStatus.ANSWERED, answered_by=platform_staff, answered_at=at(9))
    _message(at(5), status=MessageStatus.ANSWERED, answered_by=platform_staff, answered_at=at(13))
    _message(at(24))  # still waiting: the 办事服务 agency's

    rows = reply_rates(start=NOVEMBER[0], end=NOVEMBER[1])

    converted = _row(rows, department, "message")
    assert (converted.received, converted.replied, converted.on_time) == (3, 2, 1)
    direct = _row(rows, agency, "message")
    assert (direct.received, direct.replied, direct.on_time) == (3, 2, 1)
    assert direct.department == agency.name


def test_departments_with_nothing_received_have_no_rate(db: Any) -> None:
    assert reply_rates(start=NOVEMBER[0], end=NOVEMBER[1]) == []


@pytest.mark.parametrize(
    ("period", "day", "first", "after"),
    [
        ("week", dt.date(2026, 11, 26), dt.date(2026, 11, 23), dt.date(2026, 11, 30)),
        ("month", dt.date(2026, 12, 31), dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("quarter", dt.date(2026, 11, 26), dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("quarter", dt.date(2026, 2, 1), dt.date(2026, 1, 1), dt.date(2026, 4, 1)),
    ],
)
def test_periods_run_from_their_first_day_to_the_next_periods_first_day(
    period: str, day: dt.date, first: dt.date, after: dt.date
) -> None:
    assert period_bounds(period=period, day=day) == (first, after)


# --- Page -------------------------------------------------------------------------------------


URL = "/reports/reply-rates/"


def test_the_page_url_is_named_in_the_reports_namespace() -> None:
    assert reverse("reports:reply_rates") == URL


def test_platform_staff_see_the_table_chart_data_and_a_text_alternative(
    client_for: Any, platform_staff: User, enterprise: Any, department: Department
) -> None:
    _dispatch(_appeal(enterprise), department, dispatched=at(3), due=at(6), responded=at(5))
    response = client_for(platform_staff).get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<th scope="row">{department.name}</th>' in body and "100%" in body
    assert 'id="reply-rate-data"' in body and "reports/reply_rates.js" in body
    assert 'aria-describedby="chart-desc"' in body
    assert "<script>" not in body  # the chart is drawn by a static file (CSP)


def test_the_period_can_be_chosen(
    client_for: Any, platform_staff: User, enterprise: Any, department: Department
) -> None:
    _dispatch(_appeal(enterprise), department, dispatched=at(20, month=10), due=at(25, month=10))
    client = client_for(platform_staff)
    cell = f'<th scope="row">{department.name}</th>'
    assert cell not in client.get(URL).content.decode()
    october = client.get(URL, {"period": "quarter", "day": "2026-11-01"}).content.decode()
    assert cell in october and "2026-10-01 至 2026-12-31" in october


def test_supervisors_and_superusers_may_view_the_page(
    client_for: Any, superuser: User, department: Department
) -> None:
    supervisor = user_create(
        username="leader",
        password="Leader-2026-pass",
        roles=[Role.SUPERVISOR],
        validate=False,
        department=department,
    )
    assert client_for(supervisor).get(URL).status_code == 200
    assert client_for(superuser).get(URL).status_code == 200


def test_others_are_refused_the_page(
    client: Client, client_for: Any, enterprise_user: User, department_admin: User
) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(enterprise_user).get(URL).status_code == 403
    assert client_for(department_admin).get(URL).status_code == 403
    assert client_for(department_admin).get(URL, {"format": "xlsx"}).status_code == 403


def test_the_table_exports_to_excel_and_the_export_is_audited(
    client_for: Any, platform_staff: User, enterprise: Any, department: Department
) -> None:
    from qifu.core.models import AuditEvent

    _dispatch(_appeal(enterprise), department, dispatched=at(3), due=at(6), responded=at(9))
    response = client_for(platform_staff).get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert "reply-rates-20261101-20261130.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[1][:3] == ["单位", "类别", "收到"]
    assert values[2] == [department.name, "诉求办件", 1, 1, "100.0%", 0, "0.0%", 0]
    assert AuditEvent.objects.filter(action="reports.reply_rates.export").count() == 1


def test_consultations_count_for_the_services_agency_on_time_by_the_promised_time(
    enterprise_user: User, agency: Department, platform_staff: User
) -> None:
    from qifu.assistant.models import Consultation, ConsultationMessage

    def consultation(created: dt.datetime, expected: dt.datetime, reply: dt.datetime | None):
        item = Consultation.objects.create(
            enterprise=enterprise_user.enterprise,
            user=enterprise_user,
            question="厂房漏水",
            answer_expected_at=expected,
            last_message_at=created,
        )
        Consultation.objects.filter(pk=item.pk).update(created_at=created)
        ConsultationMessage.objects.create(
            consultation=item, author=enterprise_user, text="厂房漏水", at=created
        )
        if reply is not None:
            ConsultationMessage.objects.create(
                consultation=item,
                author=platform_staff,
                is_staff_reply=True,
                text="已转物业",
                at=reply,
            )

    consultation(at(3, 10), at(3, 12), at(3, 11))  # on time
    consultation(at(4, 10), at(4, 12), at(5, 9))  # late
    consultation(at(6, 10), at(6, 12), None)  # waiting

    row = _row(reply_rates(start=NOVEMBER[0], end=NOVEMBER[1]), agency, "consultation")
    assert (row.received, row.replied, row.on_time) == (3, 2, 1)
    assert row.source_label == "咨询"
