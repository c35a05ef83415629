"""The scoring method as data, and how a score follows from the figures.

A method is a dict:

- `base`: the starting score (100);
- `rates`: {measure code: weight} — a rate measure deducts `weight × (100 − rate) / 100`;
- `deductions`: {measure code: points per case} — a count measure deducts `points × count`,
  at most `cap` points per measure;
- `cap`: the most one count measure may deduct;
- `floors`: {measure code: {"min": value, "penalty": points}} — a rate below its floor is listed
  as 未达底线 and deducts `penalty` more (e.g. satisfaction below 80%);
- `min_response_chars`: the minimum content of a response (敷衍塞责), 0 for none.

The score never goes below 0. Version 0 is the built-in default, used until an approved version
exists.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError

from qifu.assessment.measures import BY_CODE, MEASURES

DEFAULT_METHOD: dict[str, Any] = {
    "base": 100,
    "rates": {
        "on_time_rate": 20,
        "satisfaction_rate": 20,
        "message_reply_rate": 5,
        "consultation_reply_rate": 5,
    },
    "deductions": {
        "late_response": 2,
        "late_contact": 1,
        "late_followup": 1,
        "unfinished": 3,
        "returns": 2,
        "perfunctory": 3,
        "unsatisfied": 2,
        "supervised_late": 5,
        "matters_late": 2,
        "declarations_late": 2,
        "stale_info": 1,
        "coverage_gap": 5,
    },
    "cap": 20,
    "floors": {
        "satisfaction_rate": {"min": 80, "penalty": 5},
        "on_time_rate": {"min": 90, "penalty": 5},
    },
    "min_response_chars": 20,
}

RATE_CODES = [m.code for m in MEASURES if m.kind == "rate"]
COUNT_CODES = [m.code for m in MEASURES if m.kind == "count" and not m.informational]


def _number(value: Any, *, field: str, low: float, high: float, errors: dict[str, str]) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors[field] = "请填写数字。"
        return 0.0
    if number != number or not low <= number <= high:  # NaN, or out of range
        errors[field] = f"应在{low:g}至{high:g}之间。"
        return 0.0
    return number


def clean_method(data: Any) -> dict[str, Any]:
    """A complete, valid method from submitted data, or ValidationError field by field."""
    if not isinstance(data, dict):
        raise ValidationError({"data": "考核办法参数格式不正确。"})
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {
        "base": _number(data.get("base", 100), field="base", low=1, high=1000, errors=errors),
        "cap": _number(data.get("cap", 20), field="cap", low=0, high=1000, errors=errors),
        "min_response_chars": int(
            _number(
                data.get("min_response_chars", 0),
                field="min_response_chars",
                low=0,
                high=500,
                errors=errors,
            )
        ),
        "rates": {},
        "deductions": {},
        "floors": {},
    }
    for group in ("rates", "deductions", "floors"):
        given = data.get(group, {})
        if not isinstance(given, dict):
            errors[group] = "格式不正确。"
            continue
        unknown = [code for code in given if code not in BY_CODE]
        if unknown:
            errors[group] = "未知的考核指标：" + "、".join(str(c)[:30] for c in unknown)
    for code, weight in (data.get("rates") or {}).items():
        if code in RATE_CODES:
            clean["rates"][code] = _number(
                weight, field=f"rates.{code}", low=0, high=100, errors=errors
            )
    for code, points in (data.get("deductions") or {}).items():
        if code in COUNT_CODES:
            clean["deductions"][code] = _number(
                points, field=f"deductions.{code}", low=0, high=100, errors=errors
            )
    for code, floor in (data.get("floors") or {}).items():
        if code not in RATE_CODES:
            continue
        if not isinstance(floor, dict):
            errors[f"floors.{code}"] = "格式不正确。"
            continue
        clean["floors"][code] = {
            "min": _number(
                floor.get("min"), field=f"floors.{code}.min", low=0, high=100, errors=errors
            ),
            "penalty": _number(
                floor.get("penalty", 0),
                field=f"floors.{code}.penalty",
                low=0,
                high=100,
                errors=errors,
            ),
        }
    if errors:
        raise ValidationError(errors)
    return clean


def _round2(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def score(method: dict[str, Any], figures: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The score of one department from its figures ({code: {"value", "count"}}): the total, the
    deduction of each measure and the floors it falls below."""
    total = float(method.get("base", 100))
    deductions: dict[str, float] = {}
    for code, weight in method.get("rates", {}).items():
        value = figures.get(code, {}).get("value")
        if value is not None:
            deductions[code] = float(weight) * (100 - float(value)) / 100
    cap = float(method.get("cap", 0)) or None
    for code, points in method.get("deductions", {}).items():
        count = figures.get(code, {}).get("count", 0)
        amount = float(points) * count
        deductions[code] = min(amount, cap) if cap is not None else amount
    below: list[str] = []
    for code, floor in method.get("floors", {}).items():
        value = figures.get(code, {}).get("value")
        if value is not None and float(value) < float(floor["min"]):
            below.append(code)
            deductions[code] = deductions.get(code, 0.0) + float(floor.get("penalty", 0))
    for code in deductions:
        deductions[code] = _round2(deductions[code])
    total -= sum(deductions.values())
    return {"score": max(0.0, _round2(total)), "deductions": deductions, "below_floor": below}


def describe(method: dict[str, Any]) -> list[tuple[str, str]]:
    """The method in plain Chinese, line by line (shown beside every ranking)."""
    lines = [("基础分", f"{method.get('base', 100):g}分，最低0分")]
    for code, weight in method.get("rates", {}).items():
        if weight:
            lines.append((BY_CODE[code].name, f"权重{weight:g}分：扣（100－比率）%×{weight:g}"))
    cap = method.get("cap", 0)
    for code, points in method.get("deductions", {}).items():
        if points:
            limit = f"，本项最多扣{cap:g}分" if cap else ""
            lines.append((BY_CODE[code].name, f"每件扣{points:g}分{limit}"))
    for code, floor in method.get("floors", {}).items():
        lines.append(
            (
                f"{BY_CODE[code].name}底线",
                f"低于{floor['min']:g}%列为未达底线，另扣{floor.get('penalty', 0):g}分",
            )
        )
    if method.get("min_response_chars"):
        lines.append(("答复内容", f"少于{method['min_response_chars']}字计为敷衍塞责"))
    return lines
