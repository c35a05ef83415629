"""Policy matching: is an enterprise eligible for a policy, and why (CONTRACT.md "Policies").

`evaluate` is pure: it reads attributes of a policy-like and an enterprise-like object and
touches no database, so a page, the API, the calculator (a visitor's typed-in profile) and a
benchmark over enterprises × policies all share one rule. `validate_criteria` is the gate at
import and edit time: an unknown key or a malformed value is refused there, never ignored here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from qifu.accounts.models import Qualification, Scale
from qifu.accounts.validators import validate_industry_code
from qifu.policies.models import CRITERIA_KEYS

SCALE_LABELS: dict[str, str] = dict(Scale.choices)
QUALIFICATION_LABELS: dict[str, str] = dict(Qualification.choices)
QUALIFICATION_TAG_RE = re.compile(r"^[a-z_]+$")

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


@dataclass(frozen=True)
class MatchResult:
    eligible: bool
    score: int
    reasons: list[dict[str, Any]]
    missing: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_near_miss(self) -> bool:
        """Exactly one criterion unmet, and not the industry (an enterprise cannot change it)."""
        return (
            not self.eligible
            and len(self.missing) == 1
            and self.missing[0]["criterion"] not in ("industries", "expires_on")
        )


# --- Words ------------------------------------------------------------------------------------


def num(value: Any) -> str:
    """A number without trailing zeros: 3988.00 → 3988, 0.50 → 0.5."""
    d = Decimal(str(value))
    text = format(d.normalize(), "f")
    return text


def percent(value: Any) -> str:
    return num(Decimal(str(value)) * 100) + "%"


def quoted(items: Iterable[str]) -> str:
    return "、".join(f"“{item}”" for item in items)


def qualification_label(tag: str) -> str:
    return QUALIFICATION_LABELS.get(tag, tag)


def scale_phrase(scales: Iterable[str]) -> str:
    names = [SCALE_LABELS.get(s, s) for s in scales]
    return "、".join(names) + "企业"


def criteria_in_words(industries: list[str], criteria: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, requirement) pairs a person can read, in the order of CRITERIA_KEYS."""
    lines: list[tuple[str, str]] = []
    if industries:
        lines.append(("适用行业", "行业代码属于 " + "、".join(industries)))
    for key in CRITERIA_KEYS:
        if key not in criteria:
            continue
        value = criteria[key]
        label = CRITERION_LABELS[key]
        if key == "scales":
            text = scale_phrase(value)
        elif key in ("qualifications_all", "qualifications_any"):
            text = "、".join(qualification_label(q) for q in value)
        elif key == "regions":
            text = "、".join(value)
        elif key in ("min_employees", "max_employees"):
            text = f"{num(value)}人"
        elif key in ("min_registered_capital", "min_revenue", "max_revenue"):
            text = f"{num(value)}万元"
        elif key in ("min_years_since_founding", "max_years_since_founding"):
            text = f"{num(value)}年"
        else:
            text = percent(value)
        lines.append((label, text))
    return lines


# --- Validation -------------------------------------------------------------------------------


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


# --- Evaluation -------------------------------------------------------------------------------


def _reason(criterion: str, met: bool, text: str) -> dict[str, Any]:
    return {"criterion": criterion, "met": met, "text": text}


def _region_name(enterprise: Any) -> str | None:
    if hasattr(enterprise, "region_name"):
        return enterprise.region_name or None
    region = getattr(enterprise, "region", None)
    return region.name if region is not None else None


def _years(enterprise: Any, today: date) -> int | None:
    founded = getattr(enterprise, "founded_on", None)
    if founded is None:
        return None
    years = today.year - founded.year
    if (today.month, today.day) < (founded.month, founded.day):
        years -= 1
    return years


def _industry(industries: list[str], code: str) -> dict[str, Any]:
    code = (code or "").upper()
    if not code:
        return _reason("industries", False, "企业未填写行业代码")
    hit = next((p for p in industries if code.startswith(p)), None)
    listed = "、".join(industries)
    if hit:
        return _reason("industries", True, f"行业代码{code}属于适用行业（{hit}）")
    return _reason("industries", False, f"行业代码{code}不在适用行业（{listed}）之内")


def _minimum(
    key: str, value: Any, need: Any, *, what: str, unit: str, missing: str
) -> dict[str, Any]:
    if value is None:
        return _reason(key, False, f"企业未填写{missing}")
    have, want = Decimal(str(value)), Decimal(str(need))
    if have >= want:
        return _reason(key, True, f"{what}{num(have)}{unit}，达到要求的{num(want)}{unit}")
    return _reason(
        key,
        False,
        f"{what}{num(have)}{unit}，低于要求的{num(want)}{unit}（差{num(want - have)}{unit}）",
    )


def _maximum(
    key: str, value: Any, limit: Any, *, what: str, unit: str, missing: str
) -> dict[str, Any]:
    if value is None:
        return _reason(key, False, f"企业未填写{missing}")
    have, top = Decimal(str(value)), Decimal(str(limit))
    if have <= top:
        return _reason(key, True, f"{what}{num(have)}{unit}，未超过上限{num(top)}{unit}")
    return _reason(
        key,
        False,
        f"{what}{num(have)}{unit}，超过上限{num(top)}{unit}（超出{num(have - top)}{unit}）",
    )


def _criterion(key: str, need: Any, enterprise: Any, today: date) -> dict[str, Any]:
    if key == "scales":
        scale = getattr(enterprise, "scale", "") or ""
        wanted = scale_phrase(need)
        if not scale:
            return _reason(key, False, "企业未填写企业规模")
        label = SCALE_LABELS.get(scale, scale)
        if scale in need:
            return _reason(key, True, f"企业规模为{label}，符合“{wanted}”要求")
        return _reason(key, False, f"企业规模为{label}，不符合“{wanted}”要求")
    if key == "qualifications_all":
        have = set(getattr(enterprise, "qualifications", None) or [])
        lacking = [q for q in need if q not in have]
        if lacking:
            return _reason(key, False, f"缺少{quoted(map(qualification_label, lacking))}资质")
        return _reason(key, True, f"具备{quoted(map(qualification_label, need))}资质")
    if key == "qualifications_any":
        have = set(getattr(enterprise, "qualifications", None) or [])
        held = [q for q in need if q in have]
        if held:
            return _reason(key, True, f"具备{quoted(map(qualification_label, held))}资质")
        names = quoted(map(qualification_label, need))
        return _reason(key, False, f"不具备{names}中的任何一项资质")
    if key == "regions":
        region = _region_name(enterprise)
        if region is None:
            return _reason(key, False, "企业未填写所在镇街")
        if region in need:
            return _reason(key, True, f"企业位于{region}，在适用范围内")
        return _reason(key, False, f"企业位于{region}，不在适用镇街（{'、'.join(need)}）之内")
    if key == "min_employees":
        return _minimum(
            key,
            getattr(enterprise, "employees", None),
            need,
            what="从业人数",
            unit="人",
            missing="从业人数",
        )
    if key == "max_employees":
        return _maximum(
            key,
            getattr(enterprise, "employees", None),
            need,
            what="从业人数",
            unit="人",
            missing="从业人数",
        )
    if key == "min_registered_capital":
        return _minimum(
            key,
            getattr(enterprise, "registered_capital", None),
            need,
            what="注册资本",
            unit="万元",
            missing="注册资本",
        )
    if key == "min_revenue":
        return _minimum(
            key,
            getattr(enterprise, "revenue", None),
            need,
            what="上年营业收入",
            unit="万元",
            missing="上年营业收入",
        )
    if key == "max_revenue":
        return _maximum(
            key,
            getattr(enterprise, "revenue", None),
            need,
            what="上年营业收入",
            unit="万元",
            missing="上年营业收入",
        )
    if key in ("min_years_since_founding", "max_years_since_founding"):
        years = _years(enterprise, today)
        if years is None:
            return _reason(key, False, "企业未填写成立日期")
        if key == "min_years_since_founding":
            if years >= need:
                return _reason(key, True, f"成立已满{years}年，达到要求的{need}年")
            return _reason(
                key, False, f"成立满{years}年，不足要求的{need}年（还差{need - years}年）"
            )
        if years <= need:
            return _reason(key, True, f"成立满{years}年，未超过{need}年的上限")
        return _reason(key, False, f"成立已满{years}年，超过{need}年的上限")
    if key == "min_rd_ratio":
        ratio = getattr(enterprise, "rd_ratio", None)
        if ratio is None:
            return _reason(key, False, "企业未填写研发投入占比")
        share, floor = Decimal(str(ratio)), Decimal(str(need))
        if share >= floor:
            return _reason(key, True, f"研发投入占比{percent(share)}，达到要求的{percent(floor)}")
        gap = num((floor - share) * 100)
        return _reason(
            key,
            False,
            f"研发投入占比{percent(share)}，低于要求的{percent(floor)}（差{gap}个百分点）",
        )
    raise ValueError(f"unknown criterion {key!r}")  # validate_criteria refuses these earlier


def evaluate(policy: Any, enterprise: Any, today: date) -> MatchResult:
    """Whether `enterprise` meets every criterion of `policy` today, with one reason each."""
    industries: list[str] = getattr(policy, "industries", None) or []
    criteria: Mapping[str, Any] = getattr(policy, "criteria", None) or {}
    reasons: list[dict[str, Any]] = []
    if industries:
        reasons.append(_industry(industries, getattr(enterprise, "industry", "")))
    for key in CRITERIA_KEYS:
        if key in criteria:
            reasons.append(_criterion(key, criteria[key], enterprise, today))
    missing = [r for r in reasons if not r["met"]]
    expires_on = getattr(policy, "expires_on", None)
    if expires_on is not None and expires_on < today:
        expired = _reason("expires_on", False, f"政策已过期（有效期至{expires_on:%Y-%m-%d}）")
        return MatchResult(False, 0, [expired, *reasons], [expired, *missing])
    if not reasons:
        # No criterion at all: it applies to every enterprise, and the match still says why.
        return MatchResult(True, 100, [_reason("any", True, "面向全市企业，无限制条件")], [])
    if not missing:
        return MatchResult(True, 100, reasons, [])
    score = (len(reasons) - len(missing)) * 100 // len(reasons)
    return MatchResult(False, score, reasons, missing)
