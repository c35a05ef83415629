from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from qifu.appeals.models import Appeal, Assignment
from qifu.dashboards import selectors

pytestmark = pytest.mark.django_db


def test_durations_count_working_days_and_median() -> None:
    # Mon 2026-09-07 → Tue 09-08: 1; Fri 09-11 → Mon 09-14 (weekend between): 1; same day: 0.
    rows = [
        {"start": dt.date(2026, 9, 7), "end": dt.date(2026, 9, 8), "n": 2},
        {"start": dt.date(2026, 9, 11), "end": dt.date(2026, 9, 14), "n": 1},
        {"start": dt.date(2026, 9, 7), "end": dt.date(2026, 9, 7), "n": 1},
        {"start": dt.date(2026, 9, 7), "end": dt.date(2026, 9, 11), "n": 1},
    ]
    d = selectors.durations(rows)
    assert d.count == 5
    assert d.median == 1
    assert d.average == round((1 + 1 + 1 + 0 + 4) / 5, 1)
    assert selectors.durations([]).count == 0
    even = selectors.durations(
        [
            {"start": dt.date(2026, 9, 7), "end": dt.date(2026, 9, 7), "n": 1},
            {"start": dt.date(2026, 9, 7), "end": dt.date(2026, 9, 8), "n": 1},
        ]
    )
    assert even.median == 0.5


def test_overview_permissions(
    client_for: Any,
    leader: Any,
    platform_staff: Any,
    superuser: Any,
    department_admin: Any,
    enterprise_user: Any,
    client: Any,
    settings: Any,
) -> None:
    url = reverse("dashboards:overview")
    for user in (leader, platform_staff, superuser):
        assert client_for(user).get(url).status_code == 200
    # A department's user is taken to its own department's page.
    response = client_for(department_admin).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:mine")
    mine = client_for(department_admin).get(reverse("dashboards:mine"))
    assert mine["Location"] == reverse("dashboards:department", args=["gxj"])
    assert client_for(enterprise_user).get(url).status_code == 403
    assert client_for(enterprise_user).get(reverse("dashboards:mine")).status_code == 403
    assert client.get(url).status_code == 302  # to the sign-in page
    # The assessment administrator's role is configured with the viewer roles.
    settings.DASHBOARD_VIEWER_ROLES = ["department_admin"]
    assert client_for(department_admin).get(url).status_code == 200
    assert client_for(leader).get(url).status_code == 302


def test_department_drill_down_permissions(
    client_for: Any,
    filed: Any,
    leader: Any,
    department: Any,
    other_department: Any,
    department_admin: Any,
    other_department_admin: Any,
    enterprise_user: Any,
) -> None:
    ours = filed(2)
    own = reverse("dashboards:department", args=[department.code])
    other = reverse("dashboards:department", args=[other_department.code])
    page = client_for(department_admin).get(own)
    assert page.status_code == 200
    assert all(a.number in page.content.decode() for a in ours)
    assert client_for(department_admin).get(other).status_code == 404
    assert client_for(other_department_admin).get(own).status_code == 404
    theirs = client_for(other_department_admin).get(other).content.decode()
    assert ours[0].number not in theirs
    assert client_for(leader).get(own).status_code == 200
    assert client_for(leader).get(other).status_code == 200
    assert client_for(enterprise_user).get(own).status_code == 403
    assert (
        client_for(leader).get(reverse("dashboards:department", args=["nope"])).status_code == 404
    )
    # Bad filter input: no 500.
    bad = client_for(leader).get(own, {"period": "x", "stage": "nope", "page": "-1"})
    assert bad.status_code == 200
    assert client_for(leader).get(own, {"stage": "x\x00"}).status_code == 400


def test_overview_figures(
    filed: Any, make_enterprise: Any, category: Any, other_category: Any
) -> None:
    filed(3)
    filed(2, category=other_category)
    no_town = make_enterprise(name="荣成市无镇街测试有限公司")
    (loose,) = filed(1, dispatch=False)
    Appeal.objects.filter(pk=loose.pk).update(enterprise=no_town)  # no town: 未注明镇街
    rounds = Assignment.objects.all()
    first = rounds.first()
    assert first is not None
    Assignment.objects.filter(pk=first.pk).update(
        first_contact_at=first.dispatched_at, responded_at=first.dispatched_at
    )
    data = selectors.overview(selectors.period_for("12m"))
    assert data.totals["received"] >= 5
    cats = {c["code"]: c["count"] for c in data.by_category}
    assert cats["GC"] == 2
    towns = {t["name"]: t["count"] for t in data.by_town}
    assert towns["俚岛镇"] == 5
    assert towns[selectors.NO_TOWN] == 1
    assert sum(m["received"] for m in data.by_month) == data.totals["received"]
    assert data.times["contact"]["count"] == 1 and data.times["contact"]["median"] == 0
    assert data.times["respond"]["count"] == 1
    dept = {d["code"]: d for d in data.departments}
    assert dept["gxj"]["rounds"] == 5
    assert [p["label"] for p in data.pipeline][:2] == ["线索", "接洽"]


def test_overview_queries_bounded_and_cached(
    client_for: Any, leader: Any, filed: Any, django_assert_max_num_queries: Any
) -> None:
    from django.core.cache import cache

    filed(3)
    client = client_for(leader)
    url = reverse("dashboards:overview")
    client.get(url)  # sessions, first-time lookups
    cache.clear()
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    small = len(few.captured_queries)
    filed(12)
    cache.clear()
    with django_assert_max_num_queries(small) as more:
        response = client.get(url)
    assert len(more.captured_queries) == small  # no query per appeal
    assert response.status_code == 200
    # Cached: the figures are not computed again.
    with django_assert_max_num_queries(small - 8):
        client.get(url)


def test_overview_links_and_table_alternatives(client_for: Any, leader: Any, filed: Any) -> None:
    filed(1)
    html = client_for(leader).get(reverse("dashboards:overview")).content.decode()
    assert 'id="chart-towns"' in html and "各镇街诉求件数" in html
    assert "<table" in html and "数据表" in html
    assert "部门考核排名" in html
    try:
        ranking = reverse("assessment:ranking")
    except NoReverseMatch:
        assert "建设中" in html  # until the assessment app is there
    else:
        assert f'href="{ranking}"' in html
    assert reverse("dashboards:department", args=["gxj"]) in html


def test_department_cases_list_queries_bounded(
    client_for: Any, department_admin: Any, filed: Any, django_assert_max_num_queries: Any
) -> None:
    filed(25)
    client = client_for(department_admin)
    url = reverse("dashboards:department", args=["gxj"])
    client.get(url)
    with django_assert_max_num_queries(30):
        response = client.get(url, {"page": 2})
    assert "第 2 / 2 页" in response.content.decode()


def test_satisfaction_counts_the_platforms_calls_once(filed: Any) -> None:
    from qifu.appeals.models import Evaluation

    a, b = filed(2)
    first = Assignment.objects.get(appeal=a)
    second = Assignment.objects.get(appeal=b)
    Evaluation.objects.create(
        appeal=a, assignment=first, source="followup", satisfaction="satisfied", score=5
    )
    Evaluation.objects.create(
        appeal=a, assignment=first, source="enterprise", satisfaction="satisfied", score=5
    )
    Evaluation.objects.create(
        appeal=b, assignment=second, source="followup", satisfaction="unsatisfied", score=2
    )
    data = selectors.overview(selectors.period_for("12m"))
    assert data.satisfaction["evaluations"] == 2
    assert data.satisfaction["rate"] == 50.0
    assert data.satisfaction["average_score"] == 3.5
    assert {d["code"]: d for d in data.departments}["gxj"]["satisfaction_rate"] == 50.0


def test_warm_job_refreshes_the_cached_figures(filed: Any) -> None:
    filed(2)
    before = selectors.overview(selectors.period_for("12m"))
    filed(1)
    assert selectors.overview(selectors.period_for("12m")).totals == before.totals  # cached
    result = selectors.dashboards_warm()
    assert result["appeals"] == before.totals["received"] + 1
    assert selectors.overview(selectors.period_for("12m")).totals["received"] == result["appeals"]


def test_department_cases_export(
    client_for: Any, filed: Any, department_admin: Any, other_department_admin: Any
) -> None:
    import io

    import openpyxl

    (appeal,) = filed(1)
    url = reverse("dashboards:department", args=["gxj"])
    response = client_for(department_admin).get(url, {"format": "xlsx"})
    assert response.status_code == 200
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert rows[1][0] == appeal.number
    assert "13905310001" not in str(rows)  # the phone is masked
    assert client_for(other_department_admin).get(url, {"format": "xlsx"}).status_code == 404


def test_the_assessment_administrator_sees_the_overview(client_for: Any, agency: Any) -> None:
    from qifu.accounts.models import Role
    from qifu.accounts.services import user_create

    if "assessor" not in Role.values:
        pytest.skip("the assessment app's role is not there")
    kaohe = user_create(
        username="kaohe_t",
        password="Demo@2026x",
        roles=["assessor"],
        department=agency,
        validate=False,
    )
    assert client_for(kaohe).get(reverse("dashboards:overview")).status_code == 200
