from __future__ import annotations

from typing import Any

import pytest

from qifu.appeals.models import AppealCategory


@pytest.fixture
def category(db: Any, department: Any) -> AppealCategory:
    return AppealCategory.objects.create(
        code="ZC", name="政策咨询", default_department=department, sort_order=1
    )


@pytest.fixture
def sms() -> Any:
    from qifu.notifications.sms import MemoryBackend

    return MemoryBackend.outbox


def sent_code(outbox: Any, phone: str) -> str:
    import re

    text = next(m.text for m in reversed(outbox) if m.phone == phone)
    match = re.search(r"验证码为(\d{6})", text)
    assert match, text
    return match.group(1)
