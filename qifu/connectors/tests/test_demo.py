from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from qifu.connectors.models import Connector, ExternalCase, ExternalCaseEvent
from qifu.demo import connectors as demo
from qifu.demo.enterprises import QIYE_CREDIT_CODE


def test_the_demo_registers_three_systems_and_two_cases_once(
    make_enterprise: Callable[..., Any],
) -> None:
    qiye = make_enterprise(credit_code=QIYE_CREDIT_CODE)
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    assert set(Connector.objects.values_list("code", flat=True)) == {
        "yichuangtong",
        "zhengwuyun",
        "gongcheng",
    }
    cases = {c.connector.code: c for c in ExternalCase.objects.filter(enterprise=qiye)}
    assert cases["yichuangtong"].status == "approved"
    assert cases["gongcheng"].status == "supplement"
    assert ExternalCaseEvent.objects.count() == 5
