"""Reading exchange files (docs/api.md "Policies"): JSON, CSV and XLSX, checked row by row.

JSON is `{"policies": [...]}` / `{"enterprises": [...]}`. CSV and XLSX have a header row with the
same field names; list fields are `|`-separated (`C13|C3630`), `criteria` is a JSON string, an
empty cell is an absent value. The files and the cells are read by the shared parsers
(qifu/core/spreadsheets.py). Cleaning turns a row into typed values or raises RowRejected with
every reason in Chinese, so the command can report each bad row and import the good ones.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from qifu.accounts.models import Department, DepartmentKind, Scale
from qifu.accounts.validators import (
    normalize_credit_code,
    validate_credit_code,
    validate_industry_code,
)
from qifu.core.spreadsheets import (
    RowRejected,
    cell_bool,
    cell_date,
    cell_decimal,
    cell_list,
    cell_text,
    read_table,
)
from qifu.policies.criteria import QUALIFICATION_TAG_RE, validate_criteria, validate_industries

__all__ = ["RowRejected", "read_rows"]

POLICY_LIST_FIELDS = ("industries", "tags")
ENTERPRISE_LIST_FIELDS = ("qualifications",)
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")


# --- Reading ----------------------------------------------------------------------------------


def read_rows(path: str | Path, key: str) -> list[dict[str, Any]]:
    """The rows of a JSON, CSV or XLSX file in exchange-format types; `key` is "policies" or
    "enterprises" (the JSON file's list)."""
    rows = read_table(path, json_key=key)
    if Path(path).suffix.lower() == ".json":
        return rows
    return [_from_cells(row, key) for row in rows]


def _from_cells(row: dict[str, Any], key: str) -> dict[str, Any]:
    """A spreadsheet row in exchange-format types: lists split on |, criteria parsed as JSON."""
    list_fields = POLICY_LIST_FIELDS if key == "policies" else ENTERPRISE_LIST_FIELDS
    out: dict[str, Any] = {}
    for name, value in row.items():
        if not name:
            continue
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, float) and value.is_integer() and name != "rd_ratio":
            value = int(value)  # XLSX keeps digit-only cells (a credit code) as numbers
        if name in list_fields:
            out[name] = cell_list(value)
        elif value in (None, ""):
            out[name] = None
        elif name == "criteria":
            try:
                out[name] = json.loads(str(value))
            except json.JSONDecodeError:
                out[name] = {"__invalid_json__": str(value)}
        else:
            out[name] = value
    return out


# --- Values -----------------------------------------------------------------------------------


def _string_list(value: Any, label: str, errors: list[str]) -> list[str]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"{label}应为文字列表")
        return []
    return [v.strip() for v in value if v.strip()]


# --- Policies ---------------------------------------------------------------------------------


def clean_policy_row(row: dict[str, Any], *, issuers: dict[str, Department]) -> dict[str, Any]:
    """Typed fields of a policy row; `issuers` maps full department names to departments."""
    errors: list[str] = []
    if "__invalid__" in row:
        raise RowRejected(["此行不是对象"])
    code = cell_text(row, "code")
    if not code:
        errors.append("缺少政策编码 code")
    elif not CODE_RE.match(code):
        errors.append(f"政策编码“{code}”只能包含字母、数字、点、下划线和连字符，最长40位")
    title = cell_text(row, "title")
    if not title:
        errors.append("缺少标题 title")
    elif len(title) > 200:
        errors.append("标题超过200字")
    issuer_name = cell_text(row, "issuer")
    issuer = issuers.get(issuer_name)
    if issuer is None:
        errors.append(
            f"未知的发布部门“{issuer_name}”（应为部门全称，例如 荣成市工业和信息化局）"
            if issuer_name
            else "缺少发布部门 issuer"
        )
    published_on = cell_date(row.get("published_on"), "发布日期", errors)
    if published_on is None and not any(e.startswith("发布日期") for e in errors):
        errors.append("缺少发布日期 published_on")
    expires_on = cell_date(row.get("expires_on"), "有效期", errors)
    if published_on and expires_on and expires_on < published_on:
        errors.append("有效期不能早于发布日期")
    industries: list[str] = []
    try:
        industries = validate_industries(row.get("industries"))
    except ValidationError as exc:
        errors.extend(exc.messages)
    criteria: dict[str, Any] = {}
    raw_criteria = row.get("criteria")
    if isinstance(raw_criteria, dict) and "__invalid_json__" in raw_criteria:
        errors.append(f"申报条件不是有效的 JSON：{raw_criteria['__invalid_json__'][:60]}")
    else:
        try:
            criteria = validate_criteria(raw_criteria)
        except ValidationError as exc:
            errors.extend(exc.messages)
    tags = _string_list(row.get("tags"), "标签", errors)
    benefit = cell_text(row, "benefit")
    if len(benefit) > 300:
        errors.append("扶持内容超过300字")
    doc_number = cell_text(row, "doc_number")
    if len(doc_number) > 100:
        errors.append("文号超过100字")
    is_auto_grant = cell_bool(row.get("is_auto_grant"), "免申即享", errors)
    if errors:
        raise RowRejected(errors)
    return {
        "code": code,
        "title": title,
        "issuer": issuer,
        "doc_number": doc_number,
        "published_on": published_on,
        "expires_on": expires_on,
        "summary": cell_text(row, "summary"),
        "body": cell_text(row, "body"),
        "industries": industries,
        "criteria": criteria,
        "tags": tags,
        "benefit": benefit,
        "how_to_apply": cell_text(row, "how_to_apply"),
        "is_auto_grant": is_auto_grant,
    }


def policy_issuers_by_name() -> dict[str, Department]:
    return {d.name: d for d in Department.objects.all()}


# --- Enterprises ------------------------------------------------------------------------------


def towns_by_name() -> dict[str, Department]:
    return {d.name: d for d in Department.objects.filter(kind=DepartmentKind.TOWN)}


def clean_enterprise_row(row: dict[str, Any], *, towns: dict[str, Department]) -> dict[str, Any]:
    """Typed fields of an enterprise row, for accounts.services.enterprise_upsert."""
    errors: list[str] = []
    if "__invalid__" in row:
        raise RowRejected(["此行不是对象"])
    credit_code = normalize_credit_code(cell_text(row, "credit_code"))
    try:
        validate_credit_code(credit_code)
    except ValidationError as exc:
        errors.extend(f"统一社会信用代码“{credit_code}”无效：{m}" for m in exc.messages)
    name = cell_text(row, "name")
    if not name:
        errors.append("缺少企业名称 name")
    industry = cell_text(row, "industry").upper()
    try:
        validate_industry_code(industry)
    except ValidationError:
        errors.append(f"行业代码“{industry}”不符合GB/T 4754-2017（例如 C1361）")
    scale = cell_text(row, "scale")
    if scale not in Scale.values:
        errors.append(f"企业规模“{scale}”无效（应为 large、medium、small、micro）")
    qualifications = _string_list(row.get("qualifications"), "资质标签", errors)
    bad_tags = [q for q in qualifications if not QUALIFICATION_TAG_RE.match(q)]
    if bad_tags:
        errors.append(f"资质标签只能由小写字母和下划线组成：{'、'.join(bad_tags)}")
    region_name = cell_text(row, "region")
    region = towns.get(region_name) if region_name else None
    if region_name and region is None:
        errors.append(f"未知的镇街“{region_name}”（应为镇或街道全称，例如 俚岛镇）")
    fields: dict[str, Any] = {
        "name": name,
        "industry": industry,
        "scale": scale,
        "qualifications": qualifications,
        "region": region,
        "founded_on": cell_date(row.get("founded_on"), "成立日期", errors),
    }
    employees = cell_decimal(row.get("employees"), "从业人数", errors)
    if employees is not None and employees != employees.to_integral_value():
        errors.append("从业人数应为整数")
    fields["employees"] = int(employees or 0)
    for name_, label in (("registered_capital", "注册资本"), ("revenue", "营业收入")):
        fields[name_] = cell_decimal(row.get(name_), label, errors) or Decimal("0")
    ratio = cell_decimal(row.get("rd_ratio"), "研发投入占比", errors)
    if ratio is not None and ratio > 1:
        errors.append("研发投入占比应为小数（0.035 表示 3.5%），不能大于 1")
    fields["rd_ratio"] = ratio or Decimal("0")
    if errors:
        raise RowRejected(errors)
    return {"credit_code": credit_code, **fields}
