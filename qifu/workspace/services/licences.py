"""Importing e-licences (电子证照) issued outside the platform, idempotent by licence number.

Files are read by the exchange-file reader of the policy imports (CSV and XLSX, header row with
the column names); each row is cleaned into typed values or rejected with every reason in Chinese,
so one bad row never stops the others.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qifu.accounts.models import Department, Enterprise
from qifu.accounts.validators import normalize_credit_code, validate_credit_code
from qifu.core.audit import audit_record
from qifu.matters.models import ELicence, LicenceSource
from qifu.policies.imports import RowRejected, read_rows

LICENCE_COLUMNS = ("number", "name", "credit_code", "issuer", "issued_on", "valid_until", "scope")
REQUIRED_COLUMNS = ("number", "name", "credit_code", "issuer", "issued_on")
OUTCOME_LABELS = {"created": "新增", "updated": "更新", "unchanged": "无变化"}
NUMBER_RE = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff（）()〔〕\[\]\-_/.·]{1,40}$")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
# The first data row of a CSV or XLSX file is line 2: line 1 is the header.
FIRST_DATA_LINE = 2


@dataclass(frozen=True)
class RowOutcome:
    line: int
    number: str
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


class _DryRunRollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if isinstance(value, float) and value.is_integer():  # XLSX stores digit-only cells as numbers
        value = int(value)
    return "" if value is None else str(value).strip()


def _date(value: Any, label: str, errors: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(str(value).strip(), fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    errors.append(f"{label}“{value}”不是有效日期（应为 YYYY-MM-DD）")
    return None


def licence_row_clean(row: dict[str, Any], *, departments: dict[str, Department]) -> dict[str, Any]:
    """Typed fields of one licence row, or RowRejected with every reason in Chinese."""
    errors: list[str] = []
    number = _text(row, "number")
    if not number:
        errors.append("缺少证照编号 number")
    elif not NUMBER_RE.match(number):
        errors.append(f"证照编号“{number}”过长或含有不允许的字符（最长40位）")
    name = _text(row, "name")
    if not name:
        errors.append("缺少证照名称 name")
    elif len(name) > 60:
        errors.append("证照名称超过60字")
    enterprise: Enterprise | None = None
    credit_code = normalize_credit_code(_text(row, "credit_code"))
    if not credit_code:
        errors.append("缺少统一社会信用代码 credit_code")
    else:
        try:
            validate_credit_code(credit_code)
        except ValidationError:
            errors.append(f"统一社会信用代码“{credit_code}”格式或校验位不正确")
        else:
            enterprise = Enterprise.objects.filter(credit_code=credit_code).first()
            if enterprise is None:
                errors.append(f"统一社会信用代码“{credit_code}”的企业尚未在平台登记")
    issuer = _text(row, "issuer")
    if not issuer:
        errors.append("缺少发证机关 issuer")
    elif len(issuer) > 100:
        errors.append("发证机关超过100字")
    issued_on = _date(row.get("issued_on"), "发证日期", errors)
    if issued_on is None and not any(e.startswith("发证日期") for e in errors):
        errors.append("缺少发证日期 issued_on")
    valid_until = _date(row.get("valid_until"), "有效期至", errors)
    if issued_on and valid_until and valid_until < issued_on:
        errors.append("有效期至不能早于发证日期")
    scope = _text(row, "scope")
    if len(scope) > 1000:
        errors.append("许可范围超过1000字")
    if errors:
        raise RowRejected(errors)
    return {
        "number": number,
        "name": name,
        "enterprise": enterprise,
        "issuer": issuer,
        "department": departments.get(issuer),
        "issued_on": issued_on,
        "valid_until": valid_until,
        "scope": scope,
    }


def departments_by_name() -> dict[str, Department]:
    """Our departments by full and short name, to link an issuer that is one of them."""
    out: dict[str, Department] = {}
    for department in Department.objects.all():
        out[department.name] = department
        if department.short_name:
            out.setdefault(department.short_name, department)
    return out


@transaction.atomic
def licence_import(*, data: dict[str, Any]) -> str:
    """Create or update one imported licence by its number: created / updated / unchanged."""
    existing = ELicence.objects.select_for_update().filter(number=data["number"]).first()
    if existing is None:
        ELicence.objects.create(source=LicenceSource.IMPORTED, **data)
        return "created"
    if existing.source != LicenceSource.IMPORTED:
        raise RowRejected([f"证照编号“{data['number']}”是平台审批核发的证照，不能由导入覆盖"])
    if existing.enterprise_id != data["enterprise"].pk:
        raise RowRejected([f"证照编号“{data['number']}”已登记在另一家企业名下"])
    changed = [name for name, value in data.items() if getattr(existing, name) != value]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(existing, name, data[name])
    existing.save(update_fields=[*changed, "updated_at"])
    return "updated"


def licences_import_file(
    *, path: str | Path, dry_run: bool = False, actor: Any = None
) -> ImportReport:
    """Import every row of a CSV/XLSX file; rejected rows are reported and skipped.

    Raises ValueError when the file itself cannot be read or lacks a required column.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise ValueError("仅支持 .csv 和 .xlsx 文件。")
    rows = read_rows(path, "licences")
    if rows:
        missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
        if missing:
            raise ValueError(f"缺少列：{'、'.join(missing)}（应有 {', '.join(LICENCE_COLUMNS)}）")
    report = ImportReport(dry_run=dry_run)
    departments = departments_by_name()
    try:
        with transaction.atomic():
            for index, row in enumerate(rows):
                line = index + FIRST_DATA_LINE
                number = _text(row, "number") or "（无编号）"
                try:
                    with transaction.atomic():
                        data = licence_row_clean(row, departments=departments)
                        outcome = licence_import(data=data)
                except RowRejected as exc:
                    report.rows.append(RowOutcome(line, number, "rejected", tuple(exc.reasons)))
                    continue
                report.rows.append(RowOutcome(line, number, outcome))
            if not dry_run:
                counts = report.counts
                audit_record(
                    action="workspace.licences.imported",
                    actor=actor,
                    summary=f"导入电子证照 {path.name}：{report.summary}",
                    data={k: counts[k] for k in (*OUTCOME_LABELS, "rejected")},
                )
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return report
