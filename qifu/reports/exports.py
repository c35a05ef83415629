"""Excel export of the reply-rate table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from qifu.core.exports import xlsx_bytes
from qifu.reports.selectors import ReplyRateRow

COLUMNS = (
    ("单位", 28),
    ("类别", 10),
    ("收到", 8),
    ("已回复", 8),
    ("回复率", 10),
    ("按时回复", 10),
    ("按时回复率", 12),
    ("退回", 8),
)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def reply_rates_workbook(rows: Iterable[ReplyRateRow], *, first: dt.date, last: dt.date) -> bytes:
    return xlsx_bytes(
        sheet_title="回复率",
        preamble=[[f"统计期间：{first:%Y-%m-%d} 至 {last:%Y-%m-%d}"]],
        headers=[title for title, _ in COLUMNS],
        widths=[width for _, width in COLUMNS],
        rows=(
            (
                row.department,
                row.source_label,
                row.received,
                row.replied,
                _percent(row.reply_rate),
                row.on_time,
                _percent(row.on_time_rate),
                row.returned if row.source == "appeal" else "",
            )
            for row in rows
        ),
    )
