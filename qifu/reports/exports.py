"""Excel export of the reply-rate table."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook

from qifu.reports.selectors import ReplyRateRow

COLUMNS = (
    ("单位", 28),
    ("类别", 10),
    ("收到", 8),
    ("已回复", 8),
    ("回复率", 10),
    ("按时回复", 10),
    ("按时回复率", 12),
)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def reply_rates_workbook(rows: Iterable[ReplyRateRow], *, first: dt.date, last: dt.date) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("回复率")
    for index, (_, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([f"统计期间：{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"])
    sheet.append([title for title, _ in COLUMNS])
    for row in rows:
        sheet.append(
            [
                row.department,
                row.source_label,
                row.received,
                row.replied,
                _percent(row.reply_rate),
                row.on_time,
                _percent(row.on_time_rate),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
