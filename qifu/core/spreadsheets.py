"""What every import of a table shares: reading CSV/XLSX (and the JSON exchange format), the cell
parsers, and the row-by-row report.

The parsers keep the sturdiest behaviour any import had: XLSX stores a digit-only cell (a credit
code, a licence number) as a number, read back as text without ".0"; a date may be a spreadsheet
date or written as 2026-09-30, 2026/9/30, 2026.09.30 or 2026年9月30日, and an impossible one is
refused with its reason; text is stripped. A CSV may carry Excel's BOM or be saved as GB18030 by
Chinese Excel. One bad row never stops the others: each is rejected with every reason a person
can act on (`RowRejected`), and `import_rows` reports them by line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction

from qifu.core.text import MESSAGE, clean_text, has_bad_characters

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t", "是"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f", "否", ""})
# "2026-09-30", "2026/9/30", "2026.09.30", "2026年9月30日" (a time after the date is ignored).
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
# The first data row of a CSV or XLSX file is line 2: line 1 is the header.
FIRST_DATA_LINE = 2
OUTCOME_LABELS = {"created": "新增", "updated": "更新", "unchanged": "无变化"}


class RowRejected(Exception):
    """A row that cannot be imported, with the reasons a person can act on."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("；".join(reasons))
        self.reasons = reasons


# --- Reading ----------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else GB18030 as saved by Chinese Excel.
    ValueError, naming the line, when the text holds NUL or another control character."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    for number, line in enumerate(text.splitlines(), start=1):
        if has_bad_characters(line):
            raise ValueError(f"第{number}行{MESSAGE}")
    return text


def _check_cells(rows: list[dict[str, Any]], first_line: int = FIRST_DATA_LINE) -> None:
    """ValueError naming the line and column of the first cell with a control character."""
    for index, row in enumerate(rows):
        for name, value in row.items():
            if (isinstance(value, str) and has_bad_characters(value)) or has_bad_characters(
                str(name)
            ):
                raise ValueError(f"第{index + first_line}行“{clean_text(str(name))}”列{MESSAGE}")


def read_table(path: str | Path, *, json_key: str | None = None) -> list[dict[str, Any]]:
    """The rows of a CSV or XLSX file (header row → keys), or of a JSON exchange file
    `{json_key: [...]}` when `json_key` is given. Blank rows are skipped; ValueError when the file
    itself cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json" and json_key:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data.get(json_key) if isinstance(data, dict) else None
        if not isinstance(rows, list):
            raise ValueError(f'JSON 文件应为 {{"{json_key}": [...]}} 格式。')
        table = [r if isinstance(r, dict) else {"__invalid__": r} for r in rows]
        _check_cells(table, first_line=1)
        return table
    if suffix == ".csv":
        return _csv_rows(decode(path.read_bytes()))
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    kinds = "、".join([".json", ".csv", ".xlsx"] if json_key else [".csv", ".xlsx"])
    raise ValueError(f"仅支持 {kinds} 文件。")


def _csv_rows(text: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for row in reader:
        clean = {
            (k or "").strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items()
        }
        if any(v not in (None, "") for v in clean.values()):
            rows.append(clean)
    return rows


def _xlsx_rows(path: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt or mislabelled file: say so, never a 500
        raise ValueError("无法读取该 Excel 文件，请确认是 .xlsx 格式。") from exc
    sheet = workbook.active
    if sheet is None:
        return []
    values = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(values, ())]
    rows = []
    for cells in values:
        if all(v is None or str(v).strip() == "" for v in cells):
            continue
        rows.append(
            {
                name: (cell.strip() if isinstance(cell, str) else cell)
                for name, cell in zip(header, cells, strict=False)
                if name
            }
        )
    workbook.close()
    _check_cells(rows)
    return rows


def missing_columns(rows: list[dict[str, Any]], required: Iterable[str]) -> list[str]:
    """Required columns absent from the header (judged on the first row)."""
    return [name for name in required if rows and name not in rows[0]]


# --- Cells ------------------------------------------------------------------------------------


def cell_text(row: dict[str, Any], name: str) -> str:
    """A cell as text: stripped, digit-only numbers without ".0", dates as YYYY-MM-DD."""
    value = row.get(name)
    if isinstance(value, float) and value.is_integer():  # XLSX keeps digit-only cells as numbers
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def parse_day(text: str) -> dt.date:
    """A written date in any of the accepted forms; ValueError with the reason otherwise."""
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError(f"日期“{text}”不存在") from None


def cell_date(value: Any, label: str, errors: list[str]) -> dt.date | None:
    """A date cell (a spreadsheet date or written text); empty is None; bad ones add a reason."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return parse_day(str(value))
    except ValueError:
        errors.append(f"{label}“{value}”不是有效日期（应为 YYYY-MM-DD）")
        return None


def cell_decimal(
    value: Any, label: str, errors: list[str], *, negative: bool = False
) -> Decimal | None:
    """A number cell (empty is None); negative numbers are refused unless allowed."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors.append(f"{label}“{value}”不是数字")
        return None
    if not number.is_finite():
        errors.append(f"{label}“{value}”不是数字")
        return None
    if number < 0 and not negative:
        errors.append(f"{label}不能为负数")
        return None
    return number


def cell_int(value: Any, label: str, errors: list[str]) -> int | None:
    """A whole number cell (empty is None)."""
    number = cell_decimal(value, label, errors)
    if number is None:
        return None
    if number != number.to_integral_value():
        errors.append(f"{label}“{value}”应为整数")
        return None
    return int(number)


def cell_bool(
    value: Any,
    label: str,
    errors: list[str],
    *,
    true_words: frozenset[str] = TRUE_WORDS,
    false_words: frozenset[str] = FALSE_WORDS,
) -> bool:
    """A yes/no cell (是/否, true/false, 1/0…)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = "" if value is None else str(value).strip().lower()
    if word in true_words:
        return True
    if word in false_words:
        return False
    errors.append(f"{label}“{value}”应为 是 或 否（true/false）")
    return False


def cell_list(value: Any) -> list[str]:
    """A list cell: items separated by |."""
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split("|") if part.strip()]


# --- The row-by-row report --------------------------------------------------------------------


@dataclass(frozen=True)
class RowOutcome:
    line: int
    number: str  # what identifies the row to a person (its code, number or name)
    outcome: str  # created / updated / unchanged / rejected
    reasons: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, "拒绝")


@dataclass
class ImportReport:
    rows: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> Counter[str]:
        return Counter(row.outcome for row in self.rows)

    @property
    def rejected(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.outcome == "rejected"]

    @property
    def summary(self) -> str:
        counts = self.counts
        parts = "，".join(f"{label} {counts[key]}" for key, label in OUTCOME_LABELS.items())
        prefix = "试运行（未写入）：" if self.dry_run else ""
        return f"{prefix}共 {len(self.rows)} 行：{parts}，拒绝 {counts['rejected']}。"

    @property
    def audit_counts(self) -> dict[str, int]:
        counts = self.counts
        return {key: counts[key] for key in (*OUTCOME_LABELS, "rejected")}


class _DryRun(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


def import_rows(
    rows: list[dict[str, Any]],
    *,
    one: Callable[[dict[str, Any]], str],
    key: Callable[[dict[str, Any]], str],
    dry_run: bool = False,
    after: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import each row in its own savepoint (`one(row)` → created/updated/unchanged, or
    RowRejected); a rejected row is reported and the others kept; `after(report)` runs at the end
    (e.g. the audit record); a dry run reports and then undoes everything."""
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                line = index + FIRST_DATA_LINE
                name = key(row) or "（空）"
                try:
                    with transaction.atomic():
                        outcome = one(row)
                except RowRejected as exc:
                    report.rows.append(RowOutcome(line, name, "rejected", tuple(exc.reasons)))
                    continue
                report.rows.append(RowOutcome(line, name, outcome))
            if dry_run:
                raise _DryRun
            if after is not None:
                after(report)
    except _DryRun:
        pass
    return report
