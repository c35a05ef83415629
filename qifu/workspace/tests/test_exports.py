"""Excel exports of the commissioner's lists: the service-request inbox and the annual reports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.core.models import AuditEvent
from qifu.workspace.models import AnnualReport, AssignmentRole, ServiceRequest
from qifu.workspace.services import requests as request_services
from qifu.workspace.services.assignments import assignment_set

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
C = AssignmentRole.COMMISSIONER
INBOX = "workspace:requests_inbox_export"
ANNUAL = "workspace:annual_reports_export"


def rows_of(response: Any) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def submit(user: Any, n: int = 0, **fields: Any) -> ServiceRequest:
    data: dict[str, Any] = {
        "kind": "archive_query",
        "title": f"调取设立登记档案{n}",
        "description": "因银行贷款需要，调取公司设立登记档案。",
        "contact_name": "于海波",
        "contact_phone": "13905310001",
        "idempotency_key": f"export-{n}",
    }
    data.update(fields)
    return request_services.service_request_submit(user=user, **data)


@pytest.fixture
def two_inboxes(
    enterprise: Any,
    other_enterprise: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
) -> tuple[ServiceRequest, ServiceRequest]:
    assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    assignment_set(
        enterprise=other_enterprise, role=C, user=other_commissioner, actor=platform_staff
    )
    return submit(enterprise_user, 1), submit(other_enterprise_user, 2, kind="change")


# --- the service-request inbox -----------------------------------------------------------------


def test_the_inbox_export_needs_sign_in_and_is_not_for_enterprises(
    client: Any, client_for: Any, enterprise_user: Any
) -> None:
    url = reverse(INBOX)
    assert client.get(url).status_code == 302
    assert client_for(enterprise_user).get(url).status_code == 403


def test_a_commissioner_exports_only_their_own_requests_with_phones_masked(
    client_for: Any, two_inboxes: Any, commissioner: Any
) -> None:
    mine, theirs = two_inboxes
    response = client_for(commissioner).get(reverse(INBOX))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E6%9C%8D%E5%8A%A1%E7%94%B3%E8%AF%B7-" in disposition  # 服务申请-
    rows = rows_of(response)
    assert rows[0][0] == "编号" and rows[0][-1] == "联系电话"
    assert [row[0] for row in rows[1:]] == [mine.number]
    values = [cell for row in rows for cell in row]
    assert "139****0001" in values and "13905310001" not in values
    assert theirs.number not in values


def test_platform_staff_export_all_requests_and_the_filters_apply(
    client_for: Any, two_inboxes: Any, platform_staff: Any
) -> None:
    mine, theirs = two_inboxes
    client = client_for(platform_staff)
    everything = {row[0] for row in rows_of(client.get(reverse(INBOX)))[1:]}
    changes = {row[0] for row in rows_of(client.get(reverse(INBOX), {"kind": "change"}))[1:]}
    assert everything == {mine.number, theirs.number}
    assert changes == {theirs.number}


def test_the_inbox_export_is_audited_with_its_filters(
    client_for: Any, two_inboxes: Any, commissioner: Any
) -> None:
    client_for(commissioner).get(reverse(INBOX), {"status": "open", "page": "2"})
    event = AuditEvent.objects.get(action="workspace.requests.export")
    assert event.actor == commissioner
    assert event.data == {"filters": {"status": "open"}}


def test_the_inbox_export_costs_a_bounded_number_of_queries(
    client_for: Any,
    enterprise: Any,
    enterprise_user: Any,
    commissioner: Any,
    platform_staff: Any,
    django_assert_max_num_queries: Any,
) -> None:
    assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    for n in range(25):
        submit(enterprise_user, n)
    client = client_for(commissioner)
    client.get(reverse("workspace:requests_inbox"))
    # Session, user, roles, the rows (one query), the audit row: not one per request.
    with django_assert_max_num_queries(10):
        response = client.get(reverse(INBOX))
    assert len(rows_of(response)) == 26


def test_the_inbox_page_links_to_the_export_with_its_filters(
    client_for: Any, commissioner: Any
) -> None:
    page = client_for(commissioner).get(reverse("workspace:requests_inbox"), {"kind": "change"})
    assert f'href="{reverse(INBOX)}?kind=change"' in page.content.decode()
    assert "导出Excel" in page.content.decode()


# --- the annual reports ------------------------------------------------------------------------


def on(year: int, month: int, day: int) -> Any:
    return time_machine.travel(dt.datetime(year, month, day, 10, 0, tzinfo=TZ), tick=False)


def test_the_annual_export_needs_sign_in_and_is_not_for_enterprises(
    client: Any, client_for: Any, enterprise_user: Any
) -> None:
    url = reverse(ANNUAL)
    assert client.get(url).status_code == 302
    assert client_for(enterprise_user).get(url).status_code == 403


def test_a_commissioner_exports_only_the_enterprises_they_serve_with_phones_masked(
    client_for: Any,
    enterprise: Any,
    other_enterprise: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
) -> None:
    assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    assignment_set(
        enterprise=other_enterprise, role=C, user=other_commissioner, actor=platform_staff
    )
    with on(2026, 11, 26):
        response = client_for(commissioner).get(reverse(ANNUAL))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0][0] == "企业名称"
    assert [row[:2] for row in rows[1:]] == [(enterprise.name, enterprise.credit_code)]
    (line,) = rows[1:]
    assert line[3:5] == (2025, "逾期未报送")
    assert line[6] == "毕专员"
    assert line[-1] == "138****0001"
    assert "13805310001" not in [cell for row in rows for cell in row]


def test_platform_staff_export_all_and_the_status_filter_applies(
    client_for: Any, enterprise: Any, other_enterprise: Any, platform_staff: Any
) -> None:
    AnnualReport.objects.create(enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8))
    client = client_for(platform_staff)
    with on(2026, 11, 26):
        everything = rows_of(client.get(reverse(ANNUAL)))
        reported = rows_of(client.get(reverse(ANNUAL), {"state": "reported"}))
    assert {row[0] for row in everything[1:]} == {enterprise.name, other_enterprise.name}
    assert [(row[0], row[4], row[5]) for row in reported[1:]] == [
        (enterprise.name, "已报送", "2026-04-08")
    ]


def test_the_annual_export_is_audited_with_the_year_and_filters(
    client_for: Any, platform_staff: Any
) -> None:
    with on(2026, 11, 26):
        client_for(platform_staff).get(reverse(ANNUAL), {"state": "overdue", "q": ""})
    event = AuditEvent.objects.get(action="workspace.annual_reports.export")
    assert event.actor == platform_staff
    assert event.data == {"year": 2025, "filters": {"state": "overdue"}}


def test_the_annual_export_costs_a_bounded_number_of_queries(
    client_for: Any,
    make_enterprise: Any,
    commissioner: Any,
    platform_staff: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(25):
        assignment_set(
            enterprise=make_enterprise(), role=C, user=commissioner, actor=platform_staff
        )
    client = client_for(commissioner)
    client.get(reverse("workspace:annual_reports"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse(ANNUAL))
    assert len(rows_of(response)) == 26


def test_a_steward_without_the_commissioner_role_sees_only_theirs(
    client_for: Any, enterprise: Any, other_enterprise: Any, steward: Any, platform_staff: Any
) -> None:
    assignment_set(
        enterprise=enterprise, role=AssignmentRole.STEWARD, user=steward, actor=platform_staff
    )
    names = {row[0] for row in rows_of(client_for(steward).get(reverse(ANNUAL)))[1:]}
    assert names == {enterprise.name}


def test_a_government_user_serving_no_one_exports_an_empty_sheet(
    client_for: Any, enterprise: Any, department: Any
) -> None:
    clerk = user_create(
        username="keyuan_t",
        password="Demo@2026x",
        roles=[Role.DEPARTMENT_ADMIN],
        department=department,
        validate=False,
    )
    rows = rows_of(client_for(clerk).get(reverse(ANNUAL)))
    assert len(rows) == 1


def test_the_annual_page_links_to_the_export_with_its_filters(
    client_for: Any, platform_staff: Any
) -> None:
    page = client_for(platform_staff).get(reverse("workspace:annual_reports"), {"state": "overdue"})
    assert f'href="{reverse(ANNUAL)}?state=overdue"' in page.content.decode()
