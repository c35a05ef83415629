"""The method through review, published periods that keep their method, the recompute command,
and the 通报 from generation to the public page, Excel and PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from qifu.appeals.models import Evaluation
from qifu.assessment import services
from qifu.assessment.method import DEFAULT_METHOD
from qifu.assessment.models import PublishedPeriod
from qifu.assessment.periods import parse_period
from qifu.assessment.selectors import active_method, ranking, ranking_table
from qifu.core.workflow import TransitionNotAllowed


def _stricter(floor: float) -> dict[str, Any]:
    data = {**DEFAULT_METHOD, "floors": {"satisfaction_rate": {"min": floor, "penalty": 10}}}
    return data


def test_a_method_applies_only_after_a_second_person_approves_it(
    september: dict[str, Any], assessor: Any, reviewer: Any
) -> None:
    method = services.method_draft(user=assessor, data=_stricter(90), note="提高满意率底线")
    services.method_submit(method=method, user=assessor)
    assert active_method()[0] == 0
    with pytest.raises(PermissionDenied):
        services.method_review(method=method, user=assessor, approve=True)
    with pytest.raises(ValidationError):
        services.method_review(method=method, user=reviewer, approve=False, comment="")
    services.method_review(method=method, user=reviewer, approve=True, comment="同意")
    assert active_method()[0] == 1
    assert ranking("2026-09")[0]["method"] == 1
    with pytest.raises(TransitionNotAllowed):
        services.method_review(method=method, user=reviewer, approve=True)


def test_bad_method_data_is_refused_field_by_field(assessor: Any) -> None:
    bad = {**DEFAULT_METHOD, "base": "abc", "rates": {"on_time_rate": 500, "nosuch": 1}}
    with pytest.raises(ValidationError) as error:
        services.method_draft(user=assessor, data=bad)
    fields = error.value.message_dict
    assert {"base", "rates", "rates.on_time_rate"} <= set(fields)


def test_a_department_user_cannot_draft_a_method(department_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.method_draft(user=department_admin, data=DEFAULT_METHOD)


def test_a_published_period_keeps_its_method_when_the_method_changes(
    september: dict[str, Any], assessor: Any, reviewer: Any
) -> None:
    published = services.period_publish(period=parse_period("2026-09"), user=assessor)
    assert published.method_version == 0
    before = ranking("2026-09")
    method = services.method_draft(user=assessor, data=_stricter(100))
    services.method_submit(method=method, user=assessor)
    services.method_review(method=method, user=reviewer, approve=True)
    table = ranking_table("2026-09")
    assert table.is_published and table.method_version == 0
    assert ranking("2026-09") == before
    # An unpublished period takes the new version.
    assert ranking_table("2026-Q3").method_version == 1
    with pytest.raises(TransitionNotAllowed):
        services.period_publish(period=parse_period("2026-09"), user=assessor)


def test_a_running_period_cannot_be_published(assessor: Any) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    with pytest.raises(TransitionNotAllowed):
        services.period_publish(period=parse_period(f"{today:%Y-%m}"), user=assessor)


def test_recompute_prints_the_figures_and_exits_1_on_a_difference(
    september: dict[str, Any], assessor: Any
) -> None:
    out = io.StringIO()
    call_command("assessment_recompute", "2026-09", stdout=out)
    assert "尚未发布" in out.getvalue() and "荣成市工业和信息化局" in out.getvalue()

    services.period_publish(period=parse_period("2026-09"), user=assessor)
    out = io.StringIO()
    call_command("assessment_recompute", "2026-09", stdout=out)
    assert "一致" in out.getvalue()

    # The record changes under the published figures: the unsatisfied call becomes satisfied.
    Evaluation.objects.filter(appeal=september["a2"]).update(satisfaction="satisfied", score=5)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("assessment_recompute", "2026-09", stdout=out)
    assert exit_.value.code == 1
    text = out.getvalue()
    assert "不一致" in text
    assert "荣成市工业和信息化局 满意率数值：已发布 50.0 → 重算 100.0" in text
    assert PublishedPeriod.objects.get(period="2026-09").rows[1]["score"] == 51.0


def test_recompute_refuses_a_bad_period() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("assessment_recompute", "2026-13")


def _published_report(assessor: Any, reviewer: Any) -> Any:
    report = services.report_generate(period_str="2026-09", user=assessor)
    services.report_edit(
        report=report, user=assessor, title=report.title, foreword="现将2026年9月情况通报如下。"
    )
    services.report_submit(report=report, user=assessor)
    return services.report_review(report=report, user=reviewer, approve=True, comment="同意")


def test_a_report_is_generated_reviewed_and_published_with_its_period(
    september: dict[str, Any], assessor: Any, reviewer: Any, client_for: Any
) -> None:
    report = services.report_generate(period_str="2026-09", user=assessor)
    assert [r["department"] for r in report.content["ranking"]] == [
        "荣成市住房和城乡建设局",
        "荣成市工业和信息化局",
    ]
    below = {(b["department"], b["measure"]) for b in report.content["below_floor"]}
    assert ("荣成市工业和信息化局", "满意率") in below
    by_department = {d["department"]: d for d in report.content["by_department"]}
    assert by_department["荣成市住房和城乡建设局"]["supervised_late"] == 1
    assert report.content["good_examples"][0]["number"] == september["a1"].number
    # A draft is not public.
    assert Client().get(f"/assessment/reports/{report.pk}/").status_code == 404
    services.report_submit(report=report, user=assessor)
    with pytest.raises(PermissionDenied):
        services.report_review(report=report, user=assessor, approve=True)
    services.report_review(report=report, user=reviewer, approve=True)
    assert PublishedPeriod.objects.filter(period="2026-09").exists()
    public = Client().get("/assessment/reports/").content.decode()
    assert report.title in public
    assert Client().get(f"/assessment/reports/{report.pk}/").status_code == 200


def test_the_report_downloads_as_excel_and_as_a_pdf_with_selectable_chinese(
    september: dict[str, Any], assessor: Any, reviewer: Any
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from qifu.appeals.models import AppealEvent
    from qifu.assessment.tests.conftest import at

    # The supervision board listed A4 for the 通报 (its escalation ladder).
    AppealEvent.objects.create(
        appeal=september["a4"],
        action="escalate",
        at=at(2026, 9, 28, 10, 0),
        department=september["zjj"],
        note="超期未办，列入通报",
    )
    report = _published_report(assessor, reviewer)
    assert [e["number"] for e in report.content["escalated"]] == [september["a4"].number]
    client = Client()
    xlsx = client.get(f"/assessment/reports/{report.pk}/export.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "荣成市住房和城乡建设局" in values and 64.0 in values

    pdf = client.get(f"/assessment/reports/{report.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    for words in (
        "综合排名",
        "荣成市住房和城乡建设局",
        "未达底线",
        "督办",
        "现将2026年9月情况通报如下",
    ):
        assert words in compact, words


def test_report_actions_through_the_pages(
    september: dict[str, Any], assessor: Any, reviewer: Any, client_for: Any, department_admin: Any
) -> None:
    kaohe = client_for(assessor)
    answer = kaohe.post("/assessment/reports/manage/", {"period": "2026-13"})
    assert answer.status_code == 200 and "月份应为01至12" in answer.content.decode()
    answer = kaohe.post("/assessment/reports/manage/", {"period": "2026-09"})
    assert answer.status_code == 302
    url = answer["Location"]
    again = kaohe.post("/assessment/reports/manage/", {"period": "2026-09"})
    assert "已存在" in again.content.decode()
    assert client_for(department_admin).get(url).status_code == 404
    assert client_for(department_admin).get("/assessment/reports/manage/").status_code == 403
    kaohe.post(url, {"action": "submit"})
    ducha = client_for(reviewer)
    page = ducha.post(url, {"action": "review", "decision": "return", "comment": ""})
    assert "退回时请填写审核意见" in page.content.decode()
    ducha.post(url, {"action": "review", "decision": "approve", "comment": "同意"})
    assert "发布于" in Client().get(url).content.decode()


def test_the_method_pages(
    september: dict[str, Any], assessor: Any, reviewer: Any, client_for: Any
) -> None:
    kaohe = client_for(assessor)
    assert kaohe.get("/assessment/methods/").status_code == 200
    form = kaohe.get("/assessment/methods/new/")
    assert form.status_code == 200
    data = {key: value for key, value in form.context["form"].initial.items() if value is not None}
    data["base"] = "abc"
    bad = kaohe.post("/assessment/methods/new/", data)
    assert (
        bad.status_code == 200 and "请输入一个数字" in bad.content.decode()
    ) or "数字" in bad.content.decode()
    data["base"] = 100
    data["floor_satisfaction_rate"] = 88
    answer = kaohe.post("/assessment/methods/new/", data)
    assert answer.status_code == 302
    kaohe.post(answer["Location"], {"action": "submit"})
    client_for(reviewer).post(answer["Location"], {"action": "review", "decision": "approve"})
    assert active_method()[1]["floors"]["satisfaction_rate"]["min"] == 88.0


def test_reviewers_are_told_when_something_waits_for_them(
    september: dict[str, Any], assessor: Any, reviewer: Any
) -> None:
    from qifu.notifications.models import Notification

    method = services.method_draft(user=assessor, data=DEFAULT_METHOD)
    services.method_submit(method=method, user=assessor)
    report = services.report_generate(period_str="2026-09", user=assessor)
    services.report_submit(report=report, user=assessor)
    assert Notification.objects.filter(user=reviewer).count() == 2
    assert not Notification.objects.filter(user=assessor).exists()
