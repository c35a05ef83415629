"""The annual report (企业年报): status in words, marking, reminders in the window, pages, API."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.core.models import AuditEvent
from qifu.notifications.models import Notification
from qifu.workspace.models import (
    AnnualReport,
    Assignment,
    AssignmentMethod,
    AssignmentRole,
    ReminderClaim,
)
from qifu.workspace.reminders import annual_reminder_dates, annual_report_reminders
from qifu.workspace.selectors.licences import annual_report_status
from qifu.workspace.services.annual_reports import (
    AnnualReportNotAllowed,
    annual_report_mark,
    annual_report_unmark,
)

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
API = "/api/v1/workspace/licences/annual-report"
JSON = "application/json"


def on(year: int, month: int, day: int) -> AbstractContextManager[Any]:
    return time_machine.travel(dt.datetime(year, month, day, 10, 0, tzinfo=TZ), tick=False)


def assign(enterprise: Any, user: Any, role: str = AssignmentRole.COMMISSIONER) -> Assignment:
    return Assignment.objects.create(
        enterprise=enterprise, user=user, role=role, method=AssignmentMethod.MANUAL
    )


# --- Status in words ----------------------------------------------------------------------------


def test_in_the_window_the_status_says_how_many_days_are_left(enterprise: Any) -> None:
    status = annual_report_status(enterprise, today=dt.date(2026, 3, 1))
    assert status.state == "pending"
    assert status.text == "2025年度年报待报送，截止2026年6月30日（剩121天）"


def test_on_the_last_day_it_says_today(enterprise: Any) -> None:
    status = annual_report_status(enterprise, today=dt.date(2026, 6, 30))
    assert status.text.endswith("（今天截止）")


def test_after_30_june_unreported_is_overdue_with_what_to_do(enterprise: Any) -> None:
    status = annual_report_status(enterprise, today=dt.date(2026, 11, 26))
    assert status.state == "overdue"
    assert status.text == "2025年度年报逾期未报送，可能被列入经营异常名录"
    assert "补报" in status.advice


def test_a_reported_enterprise_shows_the_date(enterprise: Any) -> None:
    AnnualReport.objects.create(enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8))
    status = annual_report_status(enterprise, today=dt.date(2026, 11, 26))
    assert status.text == "2025年度年报已于2026年4月8日报送"


def test_an_enterprise_founded_this_year_need_not_report(enterprise: Any) -> None:
    enterprise.founded_on = dt.date(2026, 2, 1)
    enterprise.save()
    assert annual_report_status(enterprise, today=dt.date(2026, 3, 1)).state == "not_required"


# --- Marking ------------------------------------------------------------------------------------


def test_the_enterprise_admin_marks_it_reported_and_it_is_audited(
    enterprise: Any, enterprise_user: Any
) -> None:
    with on(2026, 4, 10):
        annual_report_mark(
            user=enterprise_user, enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8)
        )
    report = AnnualReport.objects.get()
    assert (report.year, report.reported_on, report.marked_by) == (
        2025,
        dt.date(2026, 4, 8),
        enterprise_user,
    )
    assert AuditEvent.objects.filter(action="workspace.annual_report.marked").exists()


def test_marking_twice_acts_once(enterprise: Any, enterprise_user: Any) -> None:
    with on(2026, 4, 10):
        annual_report_mark(
            user=enterprise_user, enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8)
        )
        with pytest.raises(AnnualReportNotAllowed):
            annual_report_mark(
                user=enterprise_user,
                enterprise=enterprise,
                year=2025,
                reported_on=dt.date(2026, 4, 9),
            )
    assert AnnualReport.objects.get().reported_on == dt.date(2026, 4, 8)


def test_the_current_commissioner_and_platform_staff_may_mark(
    enterprise: Any, other_enterprise: Any, commissioner: Any, platform_staff: Any
) -> None:
    assign(enterprise, commissioner)
    with on(2026, 4, 10):
        annual_report_mark(
            user=commissioner, enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 9)
        )
        annual_report_mark(
            user=platform_staff,
            enterprise=other_enterprise,
            year=2025,
            reported_on=dt.date(2026, 4, 9),
        )
    assert AnnualReport.objects.count() == 2


@pytest.mark.parametrize("who", ["member", "other_commissioner", "steward", "other_admin"])
def test_others_may_not_mark(
    who: str,
    enterprise: Any,
    other_commissioner: Any,
    steward: Any,
    other_enterprise_user: Any,
) -> None:
    member = user_create(
        username="member_t",
        password="Test@2026pw",
        roles=[Role.ENTERPRISE_MEMBER],
        enterprise=enterprise,
        validate=False,
    )
    assign(enterprise, steward, AssignmentRole.STEWARD)
    user = {
        "member": member,
        "other_commissioner": other_commissioner,
        "steward": steward,
        "other_admin": other_enterprise_user,
    }[who]
    with on(2026, 4, 10), pytest.raises(PermissionDenied):
        annual_report_mark(
            user=user, enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8)
        )


def test_a_date_in_the_future_or_before_the_window_is_refused_by_field(
    enterprise: Any, enterprise_user: Any
) -> None:
    with on(2026, 4, 10):
        with pytest.raises(ValidationError) as future:
            annual_report_mark(
                user=enterprise_user,
                enterprise=enterprise,
                year=2025,
                reported_on=dt.date(2026, 4, 11),
            )
        assert "reported_on" in future.value.message_dict
        with pytest.raises(ValidationError) as early:
            annual_report_mark(
                user=enterprise_user,
                enterprise=enterprise,
                year=2025,
                reported_on=dt.date(2025, 12, 31),
            )
        assert "reported_on" in early.value.message_dict
        with pytest.raises(ValidationError) as this_year:
            annual_report_mark(
                user=enterprise_user,
                enterprise=enterprise,
                year=2026,
                reported_on=dt.date(2026, 4, 1),
            )
        assert "year" in this_year.value.message_dict


def test_a_mistaken_mark_is_undone_and_audited(enterprise: Any, enterprise_user: Any) -> None:
    AnnualReport.objects.create(enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8))
    annual_report_unmark(user=enterprise_user, enterprise=enterprise, year=2025)
    assert not AnnualReport.objects.exists()
    event = AuditEvent.objects.get(action="workspace.annual_report.unmarked")
    assert event.data["reported_on"] == "2026-04-08"
    with pytest.raises(AnnualReportNotAllowed):
        annual_report_unmark(user=enterprise_user, enterprise=enterprise, year=2025)


def test_others_may_not_undo(enterprise: Any, other_commissioner: Any) -> None:
    AnnualReport.objects.create(enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8))
    with pytest.raises(PermissionDenied):
        annual_report_unmark(user=other_commissioner, enterprise=enterprise, year=2025)


# --- Reminders ----------------------------------------------------------------------------------


def test_reminder_dates_move_to_the_next_working_day() -> None:
    dates = dict(annual_reminder_dates(2026))
    assert dates["03-01"] == dt.date(2026, 3, 2)  # a Sunday
    assert dates["01-05"] == dt.date(2026, 1, 5)


def test_reminders_go_once_per_date_until_marked(
    enterprise: Any, enterprise_user: Any, commissioner: Any
) -> None:
    assign(enterprise, commissioner)
    assert annual_report_reminders(today=dt.date(2026, 1, 4)) == 0  # before the first date
    assert annual_report_reminders(today=dt.date(2026, 1, 5)) == 1
    assert annual_report_reminders(today=dt.date(2026, 1, 6)) == 0
    assert annual_report_reminders(today=dt.date(2026, 3, 1)) == 0  # moved to Monday 2 March
    assert annual_report_reminders(today=dt.date(2026, 3, 2)) == 1
    recipients = set(Notification.objects.values_list("user_id", flat=True))
    assert recipients == {enterprise_user.pk, commissioner.pk}
    claim = ReminderClaim.objects.order_by("id").first()
    assert claim is not None
    assert (claim.kind, claim.subject, claim.step) == (
        "annual_report",
        f"annual:{enterprise.pk}:2025",
        "01-05",
    )
    AnnualReport.objects.create(enterprise=enterprise, year=2025, reported_on=dt.date(2026, 3, 3))
    assert annual_report_reminders(today=dt.date(2026, 5, 6)) == 0


def test_a_late_start_sends_only_the_latest_date_and_none_after_the_window(
    enterprise: Any, enterprise_user: Any
) -> None:
    assert annual_report_reminders(today=dt.date(2026, 6, 20)) == 1
    assert list(ReminderClaim.objects.values_list("step", flat=True)) == ["06-16"]
    assert annual_report_reminders(today=dt.date(2026, 7, 1)) == 0


def test_reminder_dates_follow_the_setting(
    enterprise: Any, enterprise_user: Any, settings: Any
) -> None:
    settings.ANNUAL_REPORT_REMINDER_DATES = ["02-02"]
    assert annual_report_reminders(today=dt.date(2026, 1, 5)) == 0
    assert annual_report_reminders(today=dt.date(2026, 2, 2)) == 1


# --- Pages --------------------------------------------------------------------------------------


def test_the_list_needs_sign_in_and_is_not_for_enterprises(
    client: Any, client_for: Any, enterprise_user: Any
) -> None:
    url = reverse("workspace:annual_reports")
    assert client.get(url).status_code == 302
    assert client_for(enterprise_user).get(url).status_code == 403


def test_a_commissioner_lists_only_the_enterprises_they_serve(
    client_for: Any, enterprise: Any, other_enterprise: Any, commissioner: Any
) -> None:
    assign(enterprise, commissioner)
    with on(2026, 11, 26):
        text = client_for(commissioner).get(reverse("workspace:annual_reports")).content.decode()
    assert enterprise.name in text
    assert other_enterprise.name not in text
    assert "逾期未报送" in text
    assert "标记已报送" in text


def test_platform_staff_list_all_and_filter_by_status(
    client_for: Any, enterprise: Any, other_enterprise: Any, platform_staff: Any
) -> None:
    AnnualReport.objects.create(enterprise=enterprise, year=2025, reported_on=dt.date(2026, 4, 8))
    client = client_for(platform_staff)
    url = reverse("workspace:annual_reports")
    with on(2026, 11, 26):
        reported = client.get(url, {"state": "reported"}).content.decode()
        overdue = client.get(url, {"state": "overdue"}).content.decode()
    assert enterprise.name in reported and other_enterprise.name not in reported
    assert other_enterprise.name in overdue and enterprise.name not in overdue


def test_the_list_costs_a_bounded_number_of_queries(
    client_for: Any,
    make_enterprise: Any,
    platform_staff: Any,
    commissioner: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(25):
        assign(make_enterprise(), commissioner)
    client = client_for(platform_staff)
    url = reverse("workspace:annual_reports")
    client.get(url)
    # Session, user, roles, count, one page of rows, towns, the user's department, the
    # message badge: the same for 25 enterprises as for 25,000.
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("标记已报送<span") == 20  # one page


def test_marking_from_the_page_redirects_and_records(
    client_for: Any, enterprise: Any, commissioner: Any
) -> None:
    assign(enterprise, commissioner)
    with on(2026, 11, 26):
        response = client_for(commissioner).post(
            reverse("workspace:annual_mark"),
            {
                "enterprise": enterprise.pk,
                "year": 2025,
                "reported_on": "2026-06-10",
                "next": reverse("workspace:annual_reports"),
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:annual_reports")
    assert AnnualReport.objects.get().reported_on == dt.date(2026, 6, 10)


def test_the_enterprise_admin_marks_and_undoes_from_the_space(
    client_for: Any, enterprise: Any, enterprise_user: Any
) -> None:
    client = client_for(enterprise_user)
    with on(2026, 5, 6):
        home = client.get(reverse("workspace:home")).content.decode()
        assert "2025年度年报待报送，截止2026年6月30日（剩55天）" in home
        client.post(reverse("workspace:annual_mark"), {"year": 2025, "reported_on": "2026-05-06"})
        client.post(reverse("workspace:annual_mark"), {"year": 2025, "reported_on": "2026-05-06"})
        assert AnnualReport.objects.count() == 1
        assert "已于2026年5月6日报送" in client.get(reverse("workspace:home")).content.decode()
        client.post(reverse("workspace:annual_unmark"), {"year": 2025})
    assert not AnnualReport.objects.exists()


def test_marking_is_post_only_and_another_enterprise_gets_404(
    client_for: Any, enterprise: Any, other_enterprise_user: Any, other_commissioner: Any
) -> None:
    url = reverse("workspace:annual_mark")
    assert client_for(other_enterprise_user).get(url).status_code == 405
    data = {"enterprise": enterprise.pk, "year": 2025, "reported_on": "2026-05-06"}
    with on(2026, 6, 1):
        assert client_for(other_enterprise_user).post(url, data).status_code == 404
        assert client_for(other_commissioner).post(url, data).status_code == 404
    assert not AnnualReport.objects.exists()


# --- API ----------------------------------------------------------------------------------------


def test_api_reads_marks_and_undoes(
    api_client_for: Any, enterprise: Any, enterprise_user: Any
) -> None:
    client = api_client_for(enterprise_user)
    with on(2026, 3, 1):
        body = client.get(API).json()
        assert body["state"] == "pending" and body["days_left"] == 121 and body["can_mark"]
        marked = client.post(API, {"reported_on": "2026-02-27"}, content_type=JSON)
        assert marked.status_code == 200
        assert marked.json()["state"] == "reported"
        again = client.post(API, {"reported_on": "2026-02-27"}, content_type=JSON)
        assert again.status_code == 409
        undone = client.delete(API)
        assert undone.status_code == 200 and undone.json()["state"] == "pending"


def test_api_refuses_field_by_field(
    api_client_for: Any, enterprise: Any, enterprise_user: Any
) -> None:
    client = api_client_for(enterprise_user)
    with on(2026, 3, 1):
        future = client.post(API, {"reported_on": "2026-03-05"}, content_type=JSON)
        assert future.status_code == 400
        assert "reported_on" in future.json()["detail"]
        missing = client.post(API, {}, content_type=JSON)
        assert missing.status_code == 400
        assert "reported_on" in missing.json()["detail"]
        nonsense = client.post(API, {"reported_on": "soon"}, content_type=JSON)
        assert nonsense.status_code == 400


def test_api_refusals(
    api_client_for: Any,
    enterprise: Any,
    other_enterprise_user: Any,
    other_commissioner: Any,
    steward: Any,
) -> None:
    assign(enterprise, steward, AssignmentRole.STEWARD)
    query = f"{API}?enterprise={enterprise.credit_code}"
    data = {"reported_on": "2026-02-27"}
    with on(2026, 3, 1):
        assert api_client_for(other_enterprise_user).get(query).status_code == 404
        assert api_client_for(other_commissioner).post(query, data, JSON).status_code == 404
        # The steward serves the enterprise and may read, but marking is not theirs.
        assert api_client_for(steward).get(query).json()["can_mark"] is False
        assert api_client_for(steward).post(query, data, content_type=JSON).status_code == 403
    assert not AnnualReport.objects.exists()
