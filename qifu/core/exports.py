"""One way to write an Excel export: a single sheet with a header row, column widths, and an
HTTP attachment whose (Chinese) file name travels as RFC 5987 `filename*`.

The workbook is written in openpyxl's write-only mode, so `rows` is consumed lazily (pass a
queryset's `.iterator()` or a generator) and a few thousand rows stay cheap in memory.

Every string is written as a text cell, never a formula (OWASP CSV/formula injection, ASVS
1.2.10): an appeal titled `=HYPERLINK(…)` shows as that text. A string Excel would read as a
formula when the cell is edited (starting with = + - @, a tab or a carriage return, or their
full-width forms) also carries the cell's quote prefix. Control characters, which the inputs
refuse, are cleaned out here as a second line of defence so that one old row cannot break an
export for everyone.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qifu.core.text import clean_text

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """Strings as text cells (cleaned of control characters); other values as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = clean_text(value)
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would make "=…" a formula
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _row(sheet: WriteOnlyWorksheet, values: Iterable[Any]) -> list[Any]:
    return [_cell(sheet, value) for value in values]


def xlsx_bytes(
    *,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float] | None = None,
    preamble: Iterable[Sequence[Any]] = (),
) -> bytes:
    """The .xlsx file: optional `preamble` rows (e.g. the period covered), the header, the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(
        clean_text(sheet_title)[:31]
    )  # Excel caps sheet titles at 31 characters
    for index, width in enumerate(widths or (), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line in preamble:
        sheet.append(_row(sheet, line))
    sheet.append(_row(sheet, headers))
    for row in rows:
        sheet.append(_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attachment_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real one as RFC 5987 `filename*`."""
    fallback = "".join(c for c in filename if c.isascii() and c.isprintable() and c not in '"\\')
    stem, dot, suffix = fallback.rpartition(".")
    if not dot or not stem.strip(" ._-"):
        fallback = f"export.{suffix}" if dot else "export"
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def xlsx_response(
    *,
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float] | None = None,
    preamble: Iterable[Sequence[Any]] = (),
) -> HttpResponse:
    """An .xlsx download named `filename` (may be Chinese), never cached by a shared proxy."""
    return xlsx_file_response(
        xlsx_bytes(
            sheet_title=sheet_title, headers=headers, rows=rows, widths=widths, preamble=preamble
        ),
        filename=filename,
    )


def xlsx_file_response(content: bytes, *, filename: str) -> HttpResponse:
    """A workbook made by `xlsx_bytes` as a download (for domain modules that build their own)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = attachment_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response
