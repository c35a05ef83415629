"""Validators for identifiers: unified social credit code (GB 32100-2015), phone, industry code."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def credit_code_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code, from its first 17."""
    total = sum(
        CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=False)
    )
    value = 31 - total % 31
    return CREDIT_CODE_CHARSET[0 if value == 31 else value]


def org_code_check_char(first8: str) -> str:
    """The check character of the 9-character organisation code (GB 11714) inside a credit code."""
    total = sum(
        CREDIT_CODE_CHARSET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=False)
    )
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError("统一社会信用代码应为18位，当前为%(n)s位。", params={"n": len(code)})
    bad = sorted({c for c in code if c not in CREDIT_CODE_CHARSET})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用I、O、Z、S、V）。",
            params={"chars": "、".join(bad)},
        )
    if code[17] != credit_code_check_char(code[:17]):
        raise ValidationError("统一社会信用代码校验位不正确，请核对后重新输入。")


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().upper()


_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def validate_mobile(value: str) -> None:
    if not _PHONE_RE.match(value or ""):
        raise ValidationError("请输入11位中国大陆手机号码。")


_INDUSTRY_RE = re.compile(r"^[A-T](\d{2}(\d{1,2})?)?$")


def validate_industry_code(value: str) -> None:
    """GB/T 4754-2017: a section letter, optionally followed by 2, 3 or 4 digits."""
    if not _INDUSTRY_RE.match(value or ""):
        raise ValidationError("行业代码应符合GB/T 4754-2017，例如 C1361。")


def build_credit_code(*, region: str = "371082", serial: int, category: str = "91") -> str:
    """A valid credit code for demo and test data: category + region + organisation code + check."""
    body = ""
    n = serial
    for _ in range(8):
        body = CREDIT_CODE_CHARSET[n % 31] + body
        n //= 31
    org = body + org_code_check_char(body)
    first17 = f"{category}{region}{org}"
    return first17 + credit_code_check_char(first17)
