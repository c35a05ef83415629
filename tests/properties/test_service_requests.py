"""Service requests to the commissioner: random sequences of the services by random personas
keep the table's invariants (tests/properties/harness.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qifu.workspace.services import requests as services
from qifu.workspace.workflow import PROCESS
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move


@PROPERTY_SETTINGS
@given(data=st.data())
def test_service_request_process_keeps_its_invariants(
    data: st.DataObject,
    served: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    platform_staff: Any,
    commissioner: Any,
    other_commissioner: Any,
    department_admin: Any,
) -> None:
    def make() -> Any:
        return services.service_request_submit(
            user=enterprise_user,
            kind="archive_query",
            title="调取设立登记档案",
            description="因银行贷款需要，调取公司设立登记档案。",
        )

    def sr(fn: Any, **kw: Any) -> Any:
        return lambda u, r: fn(user=u, service_request=r, **kw)

    moves = [
        Move("accept", ("accept",), sr(services.service_request_accept)),
        Move(
            "ask_info", ("ask_info",), sr(services.service_request_ask_info, note="请补充营业执照")
        ),
        Move(
            "supply_info",
            ("supply_info",),
            sr(services.service_request_supply_info, note="已补充营业执照副本"),
        ),
        Move("complete", ("complete",), sr(services.service_request_complete, result="档案已调取")),
        Move("withdraw", ("withdraw",), sr(services.service_request_withdraw, note="不再需要")),
        Move(
            "reassign",
            ("reassign",),
            sr(services.service_request_reassign, to_user=other_commissioner, note="转交"),
        ),
        Move(
            "reassign_back",
            ("reassign",),
            sr(services.service_request_reassign, to_user=commissioner, note="转回"),
        ),
    ]
    personas = {
        "enterprise_a": enterprise_user,
        "enterprise_b": other_enterprise_user,
        "platform_staff": platform_staff,
        "commissioner": commissioner,
        "other_commissioner": other_commissioner,
        "department_x": department_admin,
    }
    Explorer(PROCESS, moves, personas).run(data, make)
