"""Importing e-licences (电子证照) issued outside the platform, idempotent by licence number.

Files are read by the shared table reader (qifu/core/spreadsheets.py: CSV and XLSX, header row
with the column names); each row is cleaned into typed values or rejected with every reason in
Chinese, so one bad row never stops the others.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qifu.accounts.models import Department, Enterprise
from qifu.accounts.validators import normalize_credit_code, validate_credit_code
from qifu.core.audit import audit_record
from qifu.core.spreadsheets import (
    ImportReport,
    RowRejected,
    cell_date,
    cell_text,
    import_rows,
    missing_columns,
    read_table,
)
from qifu.matters.models import ELicence, LicenceSource

LICENCE_COLUMNS = ("number", "name", "credit_code", "issuer", "issued_on", "valid_until", "scope")
REQUIRED_COLUMNS = ("number", "name", "credit_code", "issuer", "issued_on")
NUMBER_RE = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff（）()〔〕\[\]\-_/.·]{1,40}$")


def licence_row_clean(row: dict[str, Any], *, departments: dict[str, Department]) -> dict[str, Any]:
    """Typed fields of one licence row, or RowRejected with every reason in Chinese."""
    errors: list[str] = []
    number = cell_text(row, "number")
    if not number:
        errors.append("缺少证照编号 number")
    elif not NUMBER_RE.match(number):
        errors.append(f"证照编号“{number}”过长或含有不允许的字符（最长40位）")
    name = cell_text(row, "name")
    if not name:
        errors.append("缺少证照名称 name")
    elif len(name) > 60:
        errors.append("证照名称超过60字")
    enterprise: Enterprise | None = None
    credit_code = normalize_credit_code(cell_text(row, "credit_code"))
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
    issuer = cell_text(row, "issuer")
    if not issuer:
        errors.append("缺少发证机关 issuer")
    elif len(issuer) > 100:
        errors.append("发证机关超过100字")
    issued_on = cell_date(row.get("issued_on"), "发证日期", errors)
    if issued_on is None and not any(e.startswith("发证日期") for e in errors):
        errors.append("缺少发证日期 issued_on")
    valid_until = cell_date(row.get("valid_until"), "有效期至", errors)
    if issued_on and valid_until and valid_until < issued_on:
        errors.append("有效期至不能早于发证日期")
    scope = cell_text(row, "scope")
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
    rows = read_table(path)
    missing = missing_columns(rows, REQUIRED_COLUMNS)
    if missing:
        raise ValueError(f"缺少列：{'、'.join(missing)}（应有 {', '.join(LICENCE_COLUMNS)}）")
    departments = departments_by_name()

    def audit(report: ImportReport) -> None:
        audit_record(
            action="workspace.licences.imported",
            actor=actor,
            summary=f"导入电子证照 {path.name}：{report.summary}",
            data=report.audit_counts,
        )

    return import_rows(
        rows,
        one=lambda row: licence_import(data=licence_row_clean(row, departments=departments)),
        key=lambda row: cell_text(row, "number") or "（无编号）",
        dry_run=dry_run,
        after=audit,
    )
