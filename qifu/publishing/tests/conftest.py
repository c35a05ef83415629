from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from qifu.content.models import Notice
from qifu.content.services import notice_create


@pytest.fixture
def make_notice(department_admin: Any) -> Callable[..., Notice]:
    """A draft notice written by 工信局's administrator (reviewed by the 办事服务 agency)."""

    def make(author: Any = None, **fields: Any) -> Notice:
        values: dict[str, Any] = {
            "kind": "news",
            "title": "工信局开展助企服务月活动",
            "summary": "走访企业百家",
            "body": "第一段。\n\n第二段。",
        }
        values.update(fields)
        return notice_create(author=author or department_admin, **values)

    return make
