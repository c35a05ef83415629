"""One way to write an Excel export: a single sheet with a header row, column widths, and an
HTTP attachment whose (Chinese) file name travels as RFC 5987 `filename*`.

The workbook is written in openpyxl's write-only mode, so `rows` is consumed lazily (pass a
queryset's `.iterator()` or a generator) and a few thousand rows stay cheap in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    sheet = workbook.create_sheet(sheet_title[:31])  # Excel caps sheet titles at 31 characters
    for index, width in enumerate(widths or (), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for line in preamble:
        sheet.append(list(line))
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
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
    response = HttpResponse(
        xlsx_bytes(
            sheet_title=sheet_title, headers=headers, rows=rows, widths=widths, preamble=preamble
        ),
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Content-Disposition"] = attachment_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response
