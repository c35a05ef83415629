from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from qifu.core.models import AuditEvent
from qifu.workdays.models import Holiday

GOOD = """date,is_workday,name
2027-01-01,0,元旦
2027-02-06,休息,春节
2027-02-20,上班,春节
2027-10-09,true,国庆节
"""


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_holidays", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "holidays.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_writes_every_good_row(good_file: Path) -> None:
    out, err = run(good_file)

    rows = {h.on: (h.is_workday, h.name) for h in Holiday.objects.all()}
    assert rows == {
        dt.date(2027, 1, 1): (False, "元旦"),
        dt.date(2027, 2, 6): (False, "春节"),
        dt.date(2027, 2, 20): (True, "春节"),
        dt.date(2027, 10, 9): (True, "国庆节"),
    }
    assert "新增 4 行" in out
    assert err == ""
    assert AuditEvent.objects.filter(action="workdays.holiday.created").count() == 4


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing(good_file: Path) -> None:
    run(good_file)
    audits = AuditEvent.objects.count()

    out, _ = run(good_file)

    assert Holiday.objects.count() == 4
    assert "新增 0 行，更新 0 行，未变 4 行" in out
    assert AuditEvent.objects.count() == audits


@pytest.mark.django_db
def test_import_updates_a_date_already_in_the_table(good_file: Path, tmp_path: Path) -> None:
    run(good_file)
    changed = tmp_path / "changed.csv"
    changed.write_text("date,is_workday,name\n2027-01-01,1,元旦调休\n", encoding="utf-8")

    out, _ = run(changed)

    assert Holiday.objects.get(on=dt.date(2027, 1, 1)).is_workday is True
    assert "更新 1 行" in out


@pytest.mark.django_db
def test_import_rejects_bad_rows_one_by_one_and_keeps_the_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "date,is_workday,name\n"
        "2027-01-01,0,元旦\n"
        "2027-02-30,0,春节\n"
        "2027/02/06,maybe,春节\n"
        "2027-02-07,0,\n"
        "2027-02-08\n"
        "2027-01-01,1,元旦\n"
        "tomorrow,0,春节\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="有 6 行被拒绝"):
        call_command("import_holidays", str(path), stdout=out, stderr=err)

    assert list(Holiday.objects.values_list("on", flat=True)) == [dt.date(2027, 1, 1)]
    report = err.getvalue()
    assert "第3行 已拒绝：日期“2027-02-30”不存在" in report
    assert "第4行 已拒绝：is_workday“maybe”无法识别" in report
    assert "第5行 已拒绝：名称为空" in report
    assert "第6行 已拒绝：列数不足" in report
    assert "第7行 已拒绝：日期与第2行重复" in report
    assert "第8行 已拒绝：日期“tomorrow”格式不正确" in report


@pytest.mark.django_db
def test_dry_run_reports_what_would_change_and_writes_nothing(good_file: Path) -> None:
    Holiday.objects.create(on=dt.date(2027, 1, 1), is_workday=True, name="元旦")

    out, _ = run(good_file, "--dry-run")

    assert "试运行，未写入。新增 3 行，更新 1 行，未变 0 行" in out
    assert Holiday.objects.count() == 1
    assert Holiday.objects.get().is_workday is True
    assert not AuditEvent.objects.filter(action__startswith="workdays.").exists()


@pytest.mark.django_db
def test_import_reads_a_file_saved_by_chinese_excel_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("2027年2月6日,休息,春节,除夕\n".encode("gb18030"))

    run(path)

    holiday = Holiday.objects.get()
    assert (holiday.on, holiday.name, holiday.note) == (dt.date(2027, 2, 6), "春节", "除夕")


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="无法读取文件"):
        run(tmp_path / "absent.csv")


def test_import_rows_feed_the_calendar(good_file: Path, db: Any) -> None:
    from qifu.workdays.calendar import calendar_warning_for, is_workday

    run(good_file)

    assert is_workday(dt.date(2027, 1, 1)) is False
    assert is_workday(dt.date(2027, 2, 20)) is True  # a Saturday made a working day
    assert calendar_warning_for(dt.date(2027, 1, 1), dt.date(2027, 12, 31)) is None
