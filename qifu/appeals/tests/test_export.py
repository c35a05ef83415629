"""The Excel export: one row per appeal, personal data masked."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from qifu.appeals.exports import COLUMNS, appeals_workbook
from qifu.appeals.models import Appeal


def test_the_workbook_has_a_header_and_one_row_per_appeal_with_the_phone_masked(
    make_appeal: Any,
) -> None:
    make_appeal(contact_phone="13905310001")
    make_appeal(contact_phone="")
    appeals = Appeal.objects.select_related("enterprise", "department", "category")
    sheet = load_workbook(io.BytesIO(appeals_workbook(appeals))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(title for title, _ in COLUMNS)
    assert len(rows) == 3
    phones = {row[-1] for row in rows[1:]}
    assert phones == {"139****0001", None}
    assert rows[1][0].startswith("SQ") and rows[1][4] == "录入"


def test_an_empty_list_exports_only_the_header(db: Any) -> None:
    sheet = load_workbook(io.BytesIO(appeals_workbook([]))).active
    assert sheet.max_row == 1
