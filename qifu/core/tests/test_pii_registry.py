"""Checklist #40: every field that looks personal is registered (PIPL 6; GB/T 35273 5.2/11.3)."""

from __future__ import annotations

import re

from django.apps import apps

from qifu.core.pii import NOT_PERSONAL, PII_REGISTRY

NAME = re.compile(
    r"(phone|mobile|tel$|id_number|id_card|idno|real_name|person|contact|address|email|"
    r"visitor_name|legal_rep|birth|gender)",
    re.IGNORECASE,
)
LABEL = re.compile(r"(联系人|姓名|手机|电话|身份证|地址|邮箱|邮件|受访人|法定代表人|出生|性别)")


def _looking_personal() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("qifu."):
            continue
        for field in model._meta.concrete_fields:
            if NAME.search(field.name) or LABEL.search(str(field.verbose_name)):
                found.add(f"{model._meta.label_lower}.{field.name}")
    return found


def test_every_field_that_looks_personal_is_registered_or_explained():
    missing = _looking_personal() - set(PII_REGISTRY) - set(NOT_PERSONAL)
    assert not missing, (
        "Personal-looking fields missing from qifu/core/pii.py (PII_REGISTRY with purpose, "
        f"masking, encryption, retention; or NOT_PERSONAL with the reason): {sorted(missing)}"
    )


def test_the_registry_names_only_fields_that_exist():
    existing = {
        f"{m._meta.label_lower}.{f.name}" for m in apps.get_models() for f in m._meta.fields
    }
    assert not (set(PII_REGISTRY) | set(NOT_PERSONAL)) - existing


def test_the_pattern_catches_a_new_personal_field():
    from django.db import models

    field = models.CharField("紧急联系人手机", max_length=11)
    field.name = "emergency_mobile"
    assert NAME.search(field.name) and LABEL.search(str(field.verbose_name))


def test_sensitive_fields_are_masked_and_encrypted():
    for key, entry in PII_REGISTRY.items():
        if entry.classification == "敏感个人信息":
            assert entry.encryption != "无", key
