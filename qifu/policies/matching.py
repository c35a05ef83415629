"""Policy matching: is an enterprise eligible for a policy, and why (docs/api.md "Policies").

`evaluate` is pure: it reads attributes of a policy-like and an enterprise-like object and
touches no database, so a page, the API, the calculator (a visitor's typed-in profile) and a
benchmark over enterprises × policies all share one rule. `validate_criteria` is the gate at
import and edit time: an unknown key or a malformed value is refused there, never ignored here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from qifu.accounts.industries import industry_label
from qifu.accounts.models import Qualification
from qifu.policies.criteria import CRITERIA_KEYS as CRITERIA_KEYS
from qifu.policies.criteria import CRITERION_LABELS as CRITERION_LABELS
from qifu.policies.criteria import SCALE_LABELS as SCALE_LABELS
from qifu.policies.criteria import validate_criteria as validate_criteria
from qifu.policies.criteria import validate_industries as validate_industries

QUALIFICATION_LABELS: dict[str, str] = dict(Qualification.choices)


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
        lines.append(("适用行业", "、".join(industry_label(code) for code in industries)))
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
