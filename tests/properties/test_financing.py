"""融资服务: a need sent to a bank, random sequences of the services by random personas keep
the table's invariants (tests/properties/harness.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qifu.financing import services
from qifu.financing.models import RequestKind
from qifu.financing.workflow import PROCESS
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move

MOVES = [
    Move("take", ("take",), lambda u, o: services.order_take(order=o, actor=u, note="已受理")),
    Move(
        "grant",
        ("grant",),
        lambda u, o: services.order_grant(
            order=o, actor=u, amount="200", rate="3.85", term_months="12"
        ),
    ),
    Move(
        "refuse",
        ("refuse",),
        lambda u, o: services.order_refuse(order=o, actor=u, reason="经营流水不足"),
    ),
    Move(
        "cancel",
        ("cancel",),
        lambda u, o: services.order_cancel(order=o, actor=u, reason="已从其他渠道解决"),
    ),
    Move("rate", ("rate",), lambda u, o: services.order_rate(order=o, actor=u, rating=5)),
]


@PROPERTY_SETTINGS
@given(data=st.data())
def test_financing_order_process_keeps_its_invariants(
    data: st.DataObject,
    financial_product: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    bank_user: Any,
    other_bank_user: Any,
    platform_staff: Any,
    department_admin: Any,
) -> None:
    def make() -> Any:
        request = services.request_submit(
            user=enterprise_user,
            kind=RequestKind.CREDIT,
            amount="200",
            term_months="12",
            purpose="旺季原料收购流动资金",
            contact_name="于海波",
            contact_phone="13963100006",
        )
        return request.orders.get()

    personas = {
        "enterprise_a": enterprise_user,
        "enterprise_b": other_enterprise_user,
        "bank": bank_user,
        "other_bank": other_bank_user,
        "platform_staff": platform_staff,
        "department_x": department_admin,
    }
    Explorer(PROCESS, MOVES, personas).run(data, make)
