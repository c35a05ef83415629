from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from qifu.core.models import AuditEvent
from qifu.workdays.models import Holiday
from qifu.workdays.services import holiday_delete, holiday_upsert

DAY = dt.date(2027, 2, 6)


@pytest.mark.django_db
def test_upsert_creates_a_row_and_audits_it(superuser: Any) -> None:
    holiday, change = holiday_upsert(on=DAY, is_workday=False, name=" 春节 ", actor=superuser)

    assert change == "created"
    assert (holiday.on, holiday.is_workday, holiday.name) == (DAY, False, "春节")
    event = AuditEvent.objects.get(action="workdays.holiday.created")
    assert event.actor == superuser
    assert event.object_id == str(holiday.pk)


@pytest.mark.django_db
def test_upsert_updates_the_row_of_the_same_date_and_records_what_it_was() -> None:
    holiday_upsert(on=DAY, is_workday=False, name="春节")

    holiday, change = holiday_upsert(on=DAY, is_workday=True, name="春节", note="调休上班")

    assert change == "updated"
    assert Holiday.objects.count() == 1
    assert holiday.is_workday is True
    event = AuditEvent.objects.get(action="workdays.holiday.updated")
    assert event.data["before"]["is_workday"] is False


@pytest.mark.django_db
def test_upsert_with_the_same_values_writes_and_audits_nothing() -> None:
    holiday_upsert(on=DAY, is_workday=False, name="春节")
    before = AuditEvent.objects.count()

    _, change = holiday_upsert(on=DAY, is_workday=False, name="春节")

    assert change == "unchanged"
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_upsert_refuses_an_empty_name() -> None:
    with pytest.raises(ValidationError) as excinfo:
        holiday_upsert(on=DAY, is_workday=False, name="  ")

    assert "name" in excinfo.value.message_dict
    assert not Holiday.objects.exists()


@pytest.mark.django_db
def test_upsert_refuses_a_name_longer_than_fifty_characters() -> None:
    with pytest.raises(ValidationError):
        holiday_upsert(on=DAY, is_workday=False, name="节" * 51)


@pytest.mark.django_db
def test_delete_removes_the_row_and_audits_it(superuser: Any) -> None:
    holiday, _ = holiday_upsert(on=DAY, is_workday=False, name="春节")

    holiday_delete(holiday=holiday, actor=superuser)

    assert not Holiday.objects.exists()
    assert AuditEvent.objects.filter(action="workdays.holiday.deleted", actor=superuser).exists()


@pytest.mark.django_db
def test_the_admin_saves_through_the_audited_service(client_for: Any, superuser: Any) -> None:
    client = client_for(superuser)

    response = client.post(
        "/admin/workdays/holiday/add/",
        {"on": "2027-02-06", "is_workday": "", "name": "春节", "note": ""},
    )

    assert response.status_code == 302
    assert Holiday.objects.get(on=DAY).name == "春节"
    assert AuditEvent.objects.filter(action="workdays.holiday.created", actor=superuser).exists()


@pytest.mark.django_db
def test_the_admin_list_filters_by_year(client_for: Any, superuser: Any) -> None:
    holiday_upsert(on=DAY, is_workday=False, name="春节")
    holiday_upsert(on=dt.date(2026, 10, 1), is_workday=False, name="国庆节")

    response = client_for(superuser).get("/admin/workdays/holiday/?year=2027")

    assert response.status_code == 200
    assert "春节" in response.content.decode()
    assert "国庆节" not in response.content.decode()
