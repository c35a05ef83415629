"""Who reads what: the ranking page and API, a department's own breakdown and cases only, the
case lists behind each number, refusals, bounded queries."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from qifu.assessment.selectors import ranking


def test_the_assessor_reads_the_ranking_with_the_method_beside_it(
    september: dict[str, Any], assessor: Any, client_for: Any
) -> None:
    page = client_for(assessor).get("/assessment/?period=2026-09")
    assert page.status_code == 200
    text = page.content.decode()
    assert "考核办法（第0版）" in text and "满意率底线" in text
    assert text.index("荣成市住房和城乡建设局") < text.index("荣成市工业和信息化局")
    assert "/assessment/2026-09/gxj/" in text and "/assessment/2026-09/zjj/" in text


def test_each_number_opens_the_list_it_counts(
    september: dict[str, Any], assessor: Any, client_for: Any
) -> None:
    client = client_for(assessor)
    for row in ranking("2026-09"):
        code = row["department"]["code"]
        breakdown = client.get(f"/assessment/2026-09/{code}/")
        assert breakdown.status_code == 200
        for figure in row["measures"]:
            page = client.get(f"/assessment/2026-09/{code}/{figure['code']}/")
            assert page.status_code == 200
            text = page.content.decode()
            assert f'<strong id="case-count">{figure["count"]}</strong>' in text
            assert len(re.findall(r'class="case-row"', text)) == figure["count"]
    cases = client.get("/assessment/2026-09/gxj/returns/").content.decode()
    assert september["a3"].number in cases and f"/appeals/{september['a3'].pk}/" in cases


def test_a_department_sees_its_own_breakdown_and_cases_not_anothers(
    september: dict[str, Any], department_admin: Any, client_for: Any
) -> None:
    client = client_for(department_admin)
    ranking_page = client.get("/assessment/?period=2026-09").content.decode()
    assert "/assessment/2026-09/gxj/" in ranking_page
    assert "/assessment/2026-09/zjj/" not in ranking_page
    assert client.get("/assessment/2026-09/gxj/").status_code == 200
    assert client.get("/assessment/2026-09/gxj/returns/").status_code == 200
    assert client.get("/assessment/2026-09/zjj/").status_code == 403
    assert client.get("/assessment/2026-09/zjj/supervised/").status_code == 403
    # The appeal behind another department's figure (with its internal notes) stays closed.
    assert client.get(f"/appeals/{september['a4'].pk}/").status_code == 404


def test_enterprises_and_visitors_are_refused(
    september: dict[str, Any], enterprise_user: Any, client_for: Any, api_client_for: Any
) -> None:
    assert client_for(enterprise_user).get("/assessment/?period=2026-09").status_code == 403
    assert client_for(enterprise_user).get("/assessment/2026-09/gxj/").status_code == 403
    assert (
        api_client_for(enterprise_user).get("/api/v1/assessment/ranking?period=2026-09").status_code
        == 403
    )
    assert Client().get("/api/v1/assessment/ranking?period=2026-09").status_code == 401
    assert Client().get("/assessment/").status_code == 302


def test_unknown_periods_departments_and_measures_are_404(
    september: dict[str, Any], assessor: Any, client_for: Any
) -> None:
    client = client_for(assessor)
    assert client.get("/assessment/2026-13/gxj/").status_code == 404
    assert client.get("/assessment/2026-09/nosuch/").status_code == 404
    assert client.get("/assessment/2026-09/gxj/nosuch/").status_code == 404
    page = client.get("/assessment/?period=2026-13")
    assert page.status_code == 200 and "月份应为01至12" in page.content.decode()


def test_the_api_answers_as_the_contract_says(
    september: dict[str, Any], assessor: Any, api_client_for: Any
) -> None:
    client = api_client_for(assessor)
    body = client.get("/api/v1/assessment/ranking?period=2026-09").json()
    assert body["period"] == "2026-09" and body["published"] is False
    assert body["method"]["version"] == 0
    first = body["departments"][0]
    assert first["department"]["code"] == "zjj"
    assert first["score"] == 64.0 and first["rank"] == 1
    measure = next(m for m in first["measures"] if m["code"] == "supervised_late")
    assert measure["value"] == 1 and measure["count"] == 1
    for period in ("2026-Q3", "2026"):
        assert client.get(f"/api/v1/assessment/ranking?period={period}").status_code == 200
    for bad in ("2026-13", "abc", "2026-09%00", "9" * 40, "2999"):
        answer = client.get(f"/api/v1/assessment/ranking?period={bad}")
        assert answer.status_code == 400, bad
        assert "detail" in answer.json()


def test_a_department_user_gets_only_its_own_measures_from_the_api(
    september: dict[str, Any], department_admin: Any, api_client_for: Any
) -> None:
    body = api_client_for(department_admin).get("/api/v1/assessment/ranking?period=2026-09").json()
    rows = {r["department"]["code"]: r for r in body["departments"]}
    assert rows["gxj"]["measures"] and rows["zjj"]["measures"] == []
    assert rows["zjj"]["score"] == 64.0


def test_the_ranking_page_and_api_run_a_bounded_number_of_queries(
    september: dict[str, Any],
    assessor: Any,
    client_for: Any,
    api_client_for: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client, api = client_for(assessor), api_client_for(assessor)
    client.get("/assessment/?period=2026-09")
    with django_assert_max_num_queries(45) as few:
        client.get("/assessment/?period=2026-09")
    with django_assert_max_num_queries(45):
        api.get("/api/v1/assessment/ranking?period=2026-09")
    # Ten more appeals (and dispatch rounds) do not add queries.
    import time_machine

    from qifu.appeals import services
    from qifu.assessment.tests.conftest import at

    for n in range(10):
        appeal = september["new"](f"批量诉求{n}号测试", at(2026, 9, 2, 9, n))
        with time_machine.travel(at(2026, 9, 2, 10, n), tick=False):
            services.appeal_dispatch(
                appeal=appeal, user=september["staff"], department=september["zjj"]
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/assessment/?period=2026-09")


def test_the_workbench_shows_the_assessment_panel_to_kaohe_only(
    september: dict[str, Any], assessor: Any, department_admin: Any, client_for: Any
) -> None:
    from qifu.portal.workbench import panels_for

    assert any(p.title == "监督考核" for p in panels_for(assessor))
    assert not any(p.title == "监督考核" for p in panels_for(department_admin))
