from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.accounts.models import Department
from qifu.matters.models import HandlingMode, LifeStage, Matter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "申请书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def make_matter(department: Department, **fields: Any) -> Matter:
    defaults: dict[str, Any] = {
        "code": "SCXK-001",
        "name": "食品生产许可",
        "life_stage": LifeStage.OPERATE,
        "conditions": "具有与生产的食品品种、数量相适应的生产场所",
        "materials": ["食品生产许可申请书", "生产场所平面图"],
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "licence_name": "食品生产许可证",
        "licence_valid_years": 5,
        "handling_mode": HandlingMode.ONLINE,
    }
    defaults.update(fields)
    return Matter.objects.create(department=department, **defaults)


@pytest.fixture
def matter(department: Department) -> Matter:
    """An online matter of the department administered by `department_admin`."""
    return make_matter(department)
