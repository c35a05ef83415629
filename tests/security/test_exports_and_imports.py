"""Exports write user text as text, cleaned of control characters; imports refuse them.

Issue 17.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from qifu.appeals.models import Appeal, AppealCategory
from qifu.appeals.services import appeal_file
from qifu.core.exports import xlsx_bytes
from qifu.core.spreadsheets import read_table

FORMULAS = ['=HYPERLINK("http://evil.example/","点击")', "+1+1", "-2+3", "@SUM(A1)", "＝1+1"]


def _sheet(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content)).active


def test_user_text_is_written_as_text_never_as_a_formula() -> None:
    content = xlsx_bytes(sheet_title="导出", headers=["标题"], rows=[[value] for value in FORMULAS])
    cells = [row[0] for row in _sheet(content).iter_rows(min_row=2)]
    assert [c.value for c in cells] == FORMULAS
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.quotePrefix for c in cells)


def test_numbers_and_dates_keep_their_types() -> None:
    content = xlsx_bytes(sheet_title="导出", headers=["n", "text"], rows=[[3, "普通文本"]])
    number, text = next(_sheet(content).iter_rows(min_row=2))
    assert (number.value, number.data_type) == (3, "n")
    assert (text.value, text.quotePrefix) == ("普通文本", False)


def test_control_characters_are_cleaned_out_of_exports() -> None:
    content = xlsx_bytes(
        sheet_title="导出\x01", headers=["标\x00题"], rows=[["a\x00b\x01c\x1bd\ud800e\tf"]]
    )
    sheet = _sheet(content)
    assert sheet["A1"].value == "标题"
    assert sheet["A2"].value == "abcde\tf"


@pytest.mark.django_db
def test_an_appeal_titled_with_a_formula_and_a_stored_control_character_exports(
    enterprise_user: Any, platform_staff: Any, client_for: Any, agency: Any
) -> None:
    category = AppealCategory.objects.create(code="other", name="其他", default_department=agency)
    appeal, _ = appeal_file(
        user=enterprise_user,
        title='=HYPERLINK("http://evil.example/","点击")',
        content="内容",
        category=category,
        contact_name="张经理",
        contact_phone="13905310001",
    )
    # A row written before the inputs refused control characters.
    Appeal.objects.filter(pk=appeal.pk).update(content="旧数据\x01")
    response = client_for(platform_staff).get("/appeals/manage/?format=xlsx")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    sheet = _sheet(response.content)
    titles = [c for row in sheet.iter_rows() for c in row if c.value == appeal.title]
    assert titles and all(c.data_type == "s" for c in titles)


def test_a_csv_import_with_a_control_character_is_refused_naming_the_line(tmp_path: Any) -> None:
    path = tmp_path / "licences.csv"
    path.write_text("name,number\n好名字,1\n坏\x00名字,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="第3行"):
        read_table(path)


def test_a_json_import_with_a_control_character_is_refused_naming_the_row(tmp_path: Any) -> None:
    path = tmp_path / "policies.json"
    path.write_text('{"policies": [{"title": "a"}, {"title": "b\\u0001"}]}', encoding="utf-8")
    with pytest.raises(ValueError, match="第2行“title”列"):
        read_table(path, json_key="policies")


def test_tabs_and_newlines_are_fine_in_imports(tmp_path: Any) -> None:
    path = tmp_path / "ok.csv"
    path.write_text('name,note\n甲,"两行\r\n内容\t"\n', encoding="utf-8")
    assert read_table(path)[0]["name"] == "甲"
