"""The criteria of a policy or a declaration call (docs/api.md "Policies"): their keys and the
gate that refuses an unknown key or a malformed value at import and edit time. No model import:
the models validate with it, the matching engine reads with it."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from qifu.accounts.models import Scale
from qifu.accounts.validators import validate_industry_code

# Keys of `criteria`: each optional; all present must hold.
CRITERIA_KEYS = (
    "scales",
    "qualifications_all",
    "qualifications_any",
    "regions",
    "min_employees",
    "max_employees",
    "min_registered_capital",
    "min_revenue",
    "max_revenue",
    "min_years_since_founding",
    "max_years_since_founding",
    "min_rd_ratio",
)
QUALIFICATION_TAG_RE = re.compile(r"^[a-z_]+$")
SCALE_LABELS: dict[str, str] = dict(Scale.choices)

# How each criterion reads in words, for the policy pages (criteria in words).
CRITERION_LABELS: dict[str, str] = {
    "industries": "适用行业",
    "scales": "企业规模",
    "qualifications_all": "须同时具备的资质",
    "qualifications_any": "具备其一即可的资质",
    "regions": "所在镇街",
    "min_employees": "从业人数不少于",
    "max_employees": "从业人数不超过",
    "min_registered_capital": "注册资本不低于",
    "min_revenue": "上年营业收入不低于",
    "max_revenue": "上年营业收入不超过",
    "min_years_since_founding": "成立年限不少于",
    "max_years_since_founding": "成立年限不超过",
    "min_rd_ratio": "研发投入占比不低于",
}


LIST_KEYS = ("scales", "qualifications_all", "qualifications_any", "regions")
INT_KEYS = (
    "min_employees",
    "max_employees",
    "min_years_since_founding",
    "max_years_since_founding",
)
DECIMAL_KEYS = ("min_registered_capital", "min_revenue", "max_revenue", "min_rd_ratio")
RANGES = (
    ("min_employees", "max_employees"),
    ("min_revenue", "max_revenue"),
    ("min_years_since_founding", "max_years_since_founding"),
)


def validate_industries(value: Any) -> list[str]:
    """A list of GB/T 4754-2017 codes or prefixes (C, C13, C136, C1361); empty means any."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError('适用行业应为行业代码列表，例如 ["C13", "C3630"]。')
    codes = [v.strip().upper() for v in value if v.strip()]
    bad = []
    for code in codes:
        try:
            validate_industry_code(code)
        except ValidationError:
            bad.append(code)
    if bad:
        raise ValidationError(
            f"行业代码不符合GB/T 4754-2017：{'、'.join(bad)}"
            "（应为字母加2至4位数字，例如 C13、C1361）。"
        )
    return codes


def _number(key: str, value: Any, *, integer: bool) -> Decimal:
    label = CRITERION_LABELS[key]
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValidationError(f"“{label}”应为数字。")
    try:
        d = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"“{label}”应为数字，收到“{value}”。") from None
    if not d.is_finite() or d < 0:
        raise ValidationError(f"“{label}”不能为负数。")
    if integer and d != d.to_integral_value():
        raise ValidationError(f"“{label}”应为整数。")
    return d


def validate_criteria(value: Any) -> dict[str, Any]:
    """Return the criteria in canonical form, or raise a ValidationError in Chinese."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError('申报条件应为键值对象，例如 {"scales": ["small"]}。')
    unknown = sorted(set(value) - set(CRITERIA_KEYS))
    if unknown:
        raise ValidationError(
            f"未知的申报条件：{'、'.join(unknown)}。可用的条件为：{'、'.join(CRITERIA_KEYS)}。"
        )
    errors: list[str] = []
    clean: dict[str, Any] = {}
    for key in CRITERIA_KEYS:
        if key not in value:
            continue
        raw = value[key]
        label = CRITERION_LABELS[key]
        try:
            if key in LIST_KEYS:
                if not isinstance(raw, list) or not raw or not all(isinstance(v, str) for v in raw):
                    raise ValidationError(f"“{label}”应为非空的文字列表。")
                items = [v.strip() for v in raw if v.strip()]
                if key == "scales":
                    bad = [s for s in items if s not in SCALE_LABELS]
                    if bad:
                        raise ValidationError(
                            f"未知的企业规模：{'、'.join(bad)}"
                            "（可用 large、medium、small、micro）。"
                        )
                elif key.startswith("qualifications"):
                    bad = [q for q in items if not QUALIFICATION_TAG_RE.match(q)]
                    if bad:
                        raise ValidationError(
                            f"资质标签只能由小写字母和下划线组成：{'、'.join(bad)}。"
                        )
                clean[key] = items
            elif key in INT_KEYS:
                clean[key] = int(_number(key, raw, integer=True))
            else:
                d = _number(key, raw, integer=False)
                if key == "min_rd_ratio" and d > 1:
                    raise ValidationError("“研发投入占比”应为小数（0.03 表示 3%），不能大于 1。")
                # Whole numbers stay integers, so the exchange format reads as it was written.
                clean[key] = int(d) if d == d.to_integral_value() else float(d)
        except ValidationError as exc:
            errors.extend(exc.messages)
    for low, high in RANGES:
        if low in clean and high in clean and clean[low] > clean[high]:
            errors.append(f"“{CRITERION_LABELS[low]}”不能大于“{CRITERION_LABELS[high]}”的上限。")
    if errors:
        raise ValidationError(errors)
    return clean
