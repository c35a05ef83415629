from __future__ import annotations

from typing import Any

import pytest

from qifu.appeals.models import AppealCategory
from qifu.appeals.services import appeal_file


@pytest.fixture
def category(db: Any, department: Any) -> AppealCategory:
    return AppealCategory.objects.create(
        code="ZC", name="政策咨询", default_department=department, sort_order=1
    )


@pytest.fixture
def other_category(db: Any, other_department: Any) -> AppealCategory:
    return AppealCategory.objects.create(
        code="GC", name="工程建设", default_department=other_department, sort_order=2
    )


@pytest.fixture
def make_appeal(enterprise_user: Any, category: AppealCategory) -> Any:
    def make(**kw: Any) -> Any:
        fields = {
            "user": enterprise_user,
            "title": "申请技改设备奖补资金迟迟未到账",
            "content": "我公司2025年技改设备投资奖补已公示，但至今未拨付，请协调。",
            "category": category,
            "contact_name": "张经理",
            "contact_phone": "13905310001",
        }
        fields.update(kw)
        appeal, _ = appeal_file(**fields)
        return appeal

    return make
