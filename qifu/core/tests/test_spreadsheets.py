"""The one set of table readers and cell parsers every import uses (licences, policies,
enterprises, the knowledge base, holidays, the investment database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from qifu.core.spreadsheets import (
    RowRejected,
    cell_bool,
    cell_date,
    cell_decimal,
    cell_int,
    cell_list,
    cell_text,
    import_rows,
    parse_day,
    read_table,
)


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_numbers_dates_and_blank_rows_read_as_a_person_typed_them(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "t.xlsx",
        [
            ["code", "issued_on", "amount", "name"],
            [3710820012, dt.datetime(2026, 9, 30), 12.5, " 海润水产 "],
            [None, None, None, None],
            [20260930, "2026年9月30日", "1,200", "第二行"],
        ],
    )
    rows = read_table(path)
    assert len(rows) == 2
    assert cell_text(rows[0], "code") == "3710820012"
    assert cell_text(rows[0], "issued_on") == "2026-09-30"
    assert cell_text(rows[0], "name") == "海润水产"
    errors: list[str] = []
    assert cell_date(rows[1]["issued_on"], "日期", errors) == dt.date(2026, 9, 30)
    assert cell_decimal(rows[1]["amount"], "金额", errors) == Decimal("1200")
    assert errors == []


def test_csv_with_a_bom_or_saved_as_gb18030_reads_the_same(tmp_path: Path) -> None:
    text = "name,issued_on\n取水许可证,2023/3/1\n"
    (tmp_path / "bom.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "gbk.csv").write_bytes(text.encode("gb18030"))
    assert read_table(tmp_path / "bom.csv") == read_table(tmp_path / "gbk.csv")
    assert read_table(tmp_path / "gbk.csv")[0]["name"] == "取水许可证"


@pytest.mark.parametrize(
    "written", ["2026-09-30", "2026/9/30", "2026.09.30", "2026年9月30日", "2026-09-30 08:00"]
)
def test_every_accepted_way_of_writing_a_date(written: str) -> None:
    assert parse_day(written) == dt.date(2026, 9, 30)


@pytest.mark.parametrize("written", ["2026-02-30", "30/09/2026", "明天", "2026-13-01"])
def test_impossible_or_unreadable_dates_give_a_reason(written: str) -> None:
    errors: list[str] = []
    assert cell_date(written, "签发日期", errors) is None
    assert errors and errors[0].startswith("签发日期“")


def test_numbers_booleans_and_lists() -> None:
    errors: list[str] = []
    assert cell_decimal("-3", "金额", errors) is None
    assert cell_decimal("-3", "温差", [], negative=True) == Decimal("-3")
    assert cell_decimal("NaN", "金额", errors) is None
    assert cell_int("3.5", "人数", errors) is None
    assert cell_int(120.0, "人数", []) == 120
    assert cell_bool("是", "免申即享", []) is True
    assert cell_bool("否", "免申即享", []) is False
    assert cell_bool("也许", "免申即享", errors) is False
    assert len(errors) == 4
    assert cell_list("C13| C3630 ||") == ["C13", "C3630"]


def test_unsupported_files_are_refused_whole(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(ValueError, match="仅支持"):
        read_table(tmp_path / "a.txt")
    (tmp_path / "bad.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(ValueError, match="无法读取"):
        read_table(tmp_path / "bad.xlsx")


@pytest.mark.django_db
def test_import_rows_keeps_good_rows_reports_bad_ones_and_dry_runs_write_nothing() -> None:
    from qifu.accounts.models import Department

    rows = [{"code": "a1"}, {"code": ""}, {"code": "a2"}]

    def one(row: dict[str, str]) -> str:
        if not row["code"]:
            raise RowRejected(["缺少编码"])
        Department.objects.create(code=row["code"], name=row["code"], kind="department")
        return "created"

    dry = import_rows(rows, one=one, key=lambda r: r["code"], dry_run=True)
    assert [r.outcome for r in dry.rows] == ["created", "rejected", "created"]
    assert not Department.objects.exists()
    report = import_rows(rows, one=one, key=lambda r: r["code"])
    assert [(r.line, r.number) for r in report.rejected] == [(3, "（空）")]
    assert report.summary == "共 3 行：新增 2，更新 0，无变化 0，拒绝 1。"
    assert Department.objects.count() == 2
