"""Checklist #41: retention and anonymisation of closed appeals (PIPL 47; ASVS 14.2.7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from qifu.appeals.models import Appeal, Stage
from qifu.appeals.retention import appeals_anonymise
from qifu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _closed(appeal: Appeal, days_ago: int) -> Appeal:
    # Stage and time set directly: the retention rule only reads them.
    Appeal.objects.filter(pk=appeal.pk).update(
        stage=Stage.CLOSED, closed_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    appeal.refresh_from_db()
    return appeal


def test_closed_appeals_past_retention_lose_contact_details_only(settings, make_appeal):
    settings.APPEAL_RETENTION_DAYS = 365
    old = _closed(make_appeal(address="荣成市成山大道1号"), days_ago=400)
    recent = _closed(make_appeal(), days_ago=100)
    open_appeal = make_appeal()
    Appeal.objects.filter(pk=open_appeal.pk).update(closed_at=timezone.now() - dt.timedelta(400))

    assert appeals_anonymise() == 1
    old.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.address) == ("", "", "")
    assert old.anonymised_at is not None
    assert old.title and old.content  # the record itself stays
    for kept in (recent, open_appeal):
        kept.refresh_from_db()
        assert kept.contact_phone == "13905310001"
        assert kept.anonymised_at is None
    event = AuditEvent.objects.get(action="appeals.anonymise")
    assert event.data["count"] == 1


def test_the_job_is_idempotent_and_the_command_reports(settings, make_appeal, capsys):
    settings.APPEAL_RETENTION_DAYS = 30
    _closed(make_appeal(), days_ago=31)
    call_command("appeals_anonymise")
    assert "已去标识化 1 件" in capsys.readouterr().out
    call_command("appeals_anonymise")
    assert "已去标识化 0 件" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="appeals.anonymise").count() == 1


def test_zero_days_switches_it_off(settings, make_appeal):
    settings.APPEAL_RETENTION_DAYS = 0
    _closed(make_appeal(), days_ago=4000)
    assert appeals_anonymise() == 0
