"""The demo has months of history to rank, kaohe, an approved method, one published period with
its 通报, and the published figures agree with a recomputation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from qifu.accounts.models import Role, User
from qifu.appeals.models import Assignment, Extension
from qifu.assessment.models import MethodStatus, MethodVersion, PeriodReport, PublishedPeriod
from qifu.assessment.selectors import ranking

pytestmark = pytest.mark.django_db


def test_the_demo_ranks_departments_over_several_months_and_publishes_one() -> None:
    call_command("seed_demo", stdout=io.StringIO())
    kaohe = User.objects.get(username="kaohe")
    assert kaohe.has_role(Role.ASSESSOR) and kaohe.check_password("Demo@2026")

    rounds = Assignment.objects.filter(appeal__idempotency_key__startswith="assess-")
    months = {a.dispatched_at.astimezone().strftime("%Y-%m") for a in rounds}
    assert len(months) >= 4
    assert rounds.filter(returned_at__isnull=False).exists()
    assert rounds.filter(responded_on_time=False).exists()
    assert rounds.filter(responded_on_time=True).exists()
    assert Extension.objects.filter(assignment__in=rounds, status="approved").exists()
    assert rounds.filter(appeal__is_supervised=True).exists()

    method = MethodVersion.objects.get()
    assert method.status == MethodStatus.APPROVED and method.reviewed_by.username == "ducha"
    published = PublishedPeriod.objects.get()
    report = PeriodReport.objects.get()
    assert report.period == published.period and report.status == "published"
    assert published.method_version == 1
    rows = ranking(published.period)
    assert len(rows) >= 5
    gaps = {
        r["department"]["code"]
        for r in rows
        for m in r["measures"]
        if m["code"] == "coverage_gap" and m["count"]
    }
    assert gaps == {"tjj", "xfj", "renhe"}  # the units the demo leaves without administrator

    out = io.StringIO()
    call_command("assessment_recompute", published.period, stdout=out)
    assert "一致" in out.getvalue()

    before = (
        Assignment.objects.count(),
        PublishedPeriod.objects.count(),
        MethodVersion.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    after = (
        Assignment.objects.count(),
        PublishedPeriod.objects.count(),
        MethodVersion.objects.count(),
    )
    assert before == after
