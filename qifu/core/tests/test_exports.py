"""The shared Excel export helper."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from qifu.core.exports import XLSX_CONTENT_TYPE, attachment_disposition, xlsx_bytes, xlsx_response


def test_the_workbook_has_the_preamble_the_header_the_rows_and_the_widths() -> None:
    content = xlsx_bytes(
        sheet_title="名单",
        preamble=[["统计期间：2026-01-01 至 2026-06-30"]],
        headers=["企业", "电话"],
        rows=iter([("蓝湾", "138****0001"), ("远驰", None)]),
        widths=[30, 14],
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "名单"
    assert list(sheet.iter_rows(values_only=True)) == [
        ("统计期间：2026-01-01 至 2026-06-30", None),
        ("企业", "电话"),
        ("蓝湾", "138****0001"),
        ("远驰", None),
    ]
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["B"].width == 14


def test_more_than_26_columns_get_proper_letters() -> None:
    content = xlsx_bytes(
        sheet_title="宽表", headers=[str(i) for i in range(30)], rows=[], widths=[9] * 30
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.column_dimensions["AD"].width == 9
    assert sheet.max_column == 30


def test_an_overlong_sheet_title_is_cut_to_what_excel_accepts() -> None:
    content = xlsx_bytes(sheet_title="标" * 40, headers=["a"], rows=[])
    assert load_workbook(io.BytesIO(content)).active.title == "标" * 31


def test_a_chinese_file_name_travels_as_rfc_5987_with_an_ascii_fallback() -> None:
    header = attachment_disposition("服务申请-202611261000.xlsx")
    assert header == (
        'attachment; filename="-202611261000.xlsx"; '
        "filename*=UTF-8''%E6%9C%8D%E5%8A%A1%E7%94%B3%E8%AF%B7-202611261000.xlsx"
    )


def test_an_all_chinese_name_falls_back_to_export_and_an_ascii_name_stays_plain() -> None:
    assert attachment_disposition("企业年报.xlsx").startswith('attachment; filename="export.xlsx";')
    assert attachment_disposition("appeals-1.xlsx") == 'attachment; filename="appeals-1.xlsx"'
    assert "\\" not in attachment_disposition('a"b\\c.xlsx').split(";")[1]


def test_the_response_is_a_private_xlsx_attachment() -> None:
    response = xlsx_response(filename="年报.xlsx", sheet_title="年报", headers=["企业"], rows=[])
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 1
