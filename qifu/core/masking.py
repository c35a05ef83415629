"""Masking of personal data where it is not needed (PIPL; GB/T 35273 去标识化)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """13812345678 -> 138****5678."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(number: str | None) -> str:
    """370000199001011234 -> 3****************4 style: keep first and last characters."""
    if not number:
        return ""
    value = number.strip()
    if len(value) <= 2:
        return "*" * len(value)
    return f"{value[:1]}{'*' * (len(value) - 2)}{value[-1:]}"


def mask_name(name: str | None) -> str:
    """张三丰 -> 张**."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)
