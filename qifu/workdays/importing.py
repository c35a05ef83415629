"""Reading a holiday table from CSV: `date,is_workday,name[,note]`, one date a line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from qifu.core import spreadsheets
from qifu.workdays.services import HolidayRow

_TRUE = {"1", "true", "yes", "y", "上班", "是", "工作日"}
_FALSE = {"0", "false", "no", "n", "休息", "否", "放假"}
_HEADER_NAMES = {"date", "日期"}


@dataclass(frozen=True)
class Rejected:
    line: int
    text: str
    reason: str


@dataclass
class ParsedTable:
    rows: list[HolidayRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


decode = spreadsheets.decode
parse_date = spreadsheets.parse_day


def parse_is_workday(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"is_workday“{text}”无法识别，应为 1/0、true/false、上班/休息")


def parse_holiday_csv(text: str) -> ParsedTable:
    """Parse every line; a bad line is rejected with its reason, the others are kept."""
    table = ParsedTable()
    seen: dict[dt.date, int] = {}
    for number, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() in _HEADER_NAMES:
            continue
        raw = ",".join(cells)
        if len(cells) < 3:
            table.rejected.append(Rejected(number, raw, "列数不足，应为 date,is_workday,name"))
            continue
        try:
            on = parse_date(cells[0])
            is_workday = parse_is_workday(cells[1])
        except ValueError as exc:
            table.rejected.append(Rejected(number, raw, str(exc)))
            continue
        name, note = cells[2], cells[3] if len(cells) > 3 else ""
        if not name:
            table.rejected.append(Rejected(number, raw, "名称为空"))
        elif len(name) > 50:
            table.rejected.append(Rejected(number, raw, "名称超过50个字"))
        elif len(note) > 200:
            table.rejected.append(Rejected(number, raw, "备注超过200个字"))
        elif on in seen:
            table.rejected.append(Rejected(number, raw, f"日期与第{seen[on]}行重复"))
        else:
            seen[on] = number
            table.rows.append(HolidayRow(on, is_workday, name, note, line=number))
    return table
