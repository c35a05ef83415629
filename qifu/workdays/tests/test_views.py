from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qifu.portal.workbench import panels_for
from qifu.workdays.services import holiday_upsert
from qifu.workdays.workbench import calendar_panel

URL = "/workdays/"
DECEMBER = dt.datetime(2026, 12, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
JUNE = dt.datetime(2026, 6, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
NOVEMBER_1 = dt.datetime(2026, 11, 1, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
OCTOBER_31 = dt.datetime(2026, 10, 31, 23, 55, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client: Any) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.django_db
def test_enterprise_user_may_not_see_the_calendar(client_for: Any, enterprise_user: Any) -> None:
    assert client_for(enterprise_user).get(URL).status_code == 403


@pytest.mark.django_db
def test_staff_sees_each_months_working_days_and_the_holidays(
    client_for: Any, platform_staff: Any
) -> None:
    response = client_for(platform_staff).get(URL, {"year": "2026"})

    assert response.status_code == 200
    assert [m.working_days for m in response.context["months"]] == [
        21,
        16,
        22,
        21,
        19,
        21,
        23,
        21,
        22,
        18,
        21,
        23,
    ]
    page = response.content.decode()
    assert "2026年工作日历" in page
    assert "全年工作日 248 天" in page
    assert "2月14日（周六）春节" in page
    assert "调休上班" in page
    assert "尚未维护" not in page


@pytest.mark.django_db
def test_a_year_without_data_shows_the_computed_holidays_as_provisional(
    client_for: Any, department_admin: Any
) -> None:
    response = client_for(department_admin).get(URL, {"year": "2027"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年的国务院放假安排尚未导入" in page
    assert "按《全国年节及纪念日放假办法》推算，暂定" in page
    assert '2月5日（周五）春节<span class="text-secondary">·除夕</span>' in page
    assert "2月9日（周二）春节" in page and "补休（2月6日）" in page
    assert page.count("推算·暂定") == 19
    assert "维护节假日" not in page  # a handler cannot import


@pytest.mark.django_db
def test_superuser_sees_the_page_with_a_link_to_maintain_holidays(
    client_for: Any, superuser: Any
) -> None:
    response = client_for(superuser).get(URL, {"year": "2026"})

    assert response.status_code == 200
    assert "/admin/workdays/holiday/?year=2026" in response.content.decode()


@pytest.mark.django_db
@time_machine.travel(JUNE, tick=False)
def test_an_unusable_year_parameter_shows_the_current_year(
    client_for: Any, platform_staff: Any
) -> None:
    response = client_for(platform_staff).get(URL, {"year": "abc"})

    assert response.context["year"] == 2026


@pytest.mark.django_db
def test_the_page_reads_the_holiday_table_once(client_for: Any, platform_staff: Any) -> None:
    client = client_for(platform_staff)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"year": "2026"})

    assert sum("workdays_holiday" in q["sql"] for q in queries.captured_queries) == 1


@pytest.fixture
def calendar_admin(platform_staff: Any) -> Any:
    """Staff allowed to import holidays (the Django admin's permission), not a superuser."""
    from django.contrib.auth.models import Permission

    platform_staff.is_staff = True
    platform_staff.save(update_fields=["is_staff"])
    platform_staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="workdays", codename="change_holiday")
    )
    return type(platform_staff).objects.get(pk=platform_staff.pk)  # fresh permission cache


@pytest.mark.django_db
@time_machine.travel(JUNE, tick=False)
def test_no_workbench_panel_while_this_years_data_exists(calendar_admin: Any) -> None:
    assert calendar_panel(calendar_admin) == []


@pytest.mark.django_db
@time_machine.travel(NOVEMBER_1, tick=False)
def test_from_1_november_calendar_administrators_are_told_to_import_next_year(
    client_for: Any, calendar_admin: Any
) -> None:
    [panel] = calendar_panel(calendar_admin)

    assert panel.title == "工作日历"
    assert panel.note.startswith("2027年的国务院放假安排尚未导入")
    assert "推算" in panel.note
    page = client_for(calendar_admin).get("/workbench/").content.decode()
    assert "2027年的国务院放假安排尚未导入" in page
    assert "/admin/workdays/holiday/" in page


@pytest.mark.django_db
@time_machine.travel(OCTOBER_31, tick=False)
def test_not_before_1_november(calendar_admin: Any) -> None:
    assert calendar_panel(calendar_admin) == []


@pytest.mark.django_db
@time_machine.travel(DECEMBER, tick=False)
def test_handlers_never_get_the_calendar_panel(
    client_for: Any, platform_staff: Any, department_admin: Any
) -> None:
    for user in (platform_staff, department_admin):
        assert calendar_panel(user) == []
        page = client_for(user).get("/workbench/").content.decode()
        assert "放假安排尚未导入" not in page


@pytest.mark.django_db
@time_machine.travel(DECEMBER, tick=False)
def test_the_workbench_warning_goes_once_next_years_rows_are_imported(
    calendar_admin: Any,
) -> None:
    holiday_upsert(on=dt.date(2027, 1, 1), is_workday=False, name="元旦")

    assert calendar_panel(calendar_admin) == []


@pytest.mark.django_db
@time_machine.travel(DECEMBER, tick=False)
def test_enterprise_users_never_get_the_calendar_panel(enterprise_user: Any) -> None:
    assert calendar_panel(enterprise_user) == []
    assert all(p.title != "工作日历" for p in panels_for(enterprise_user))


@pytest.mark.django_db
@time_machine.travel(DECEMBER, tick=False)
def test_superusers_get_the_calendar_panel(superuser: Any) -> None:
    assert len(calendar_panel(superuser)) == 1
