"""我要办事 applications: random sequences of the services by random personas keep the table's
invariants (tests/properties/harness.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qifu.matters import services
from qifu.matters.tests.conftest import pdf
from qifu.matters.workflow import PROCESS
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move

MOVES = [
    Move(
        "attach",
        ("attach",),
        lambda u, a: services.matter_application_attach(user=u, application=a, files=[pdf()]),
    ),
    Move(
        "submit",
        ("submit", "resubmit"),
        lambda u, a: services.matter_application_submit(user=u, application=a),
    ),
    Move(
        "accept",
        ("accept",),
        lambda u, a: services.matter_application_accept(user=u, application=a),
    ),
    Move(
        "supplement",
        ("supplement",),
        lambda u, a: services.matter_application_request_supplement(
            user=u, application=a, reason="生产场所平面图不清晰，请重新上传。"
        ),
    ),
    Move(
        "refuse",
        ("refuse",),
        lambda u, a: services.matter_application_refuse(
            user=u, application=a, reason="生产场所不符合食品安全要求。"
        ),
    ),
    Move(
        "approve",
        ("approve",),
        lambda u, a: services.matter_application_approve(user=u, application=a, note="准予许可"),
    ),
]


@PROPERTY_SETTINGS
@given(data=st.data())
def test_matter_application_process_keeps_its_invariants(
    data: st.DataObject,
    matter: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    platform_staff: Any,
    department_admin: Any,
    other_department_admin: Any,
) -> None:
    def make() -> Any:
        return services.matter_application_create(
            user=enterprise_user, matter=matter, contact_name="张经理", contact_phone="13905310001"
        )

    personas = {
        "enterprise_a": enterprise_user,
        "enterprise_b": other_enterprise_user,
        "platform_staff": platform_staff,
        "department_x": department_admin,
        "department_y": other_department_admin,
    }
    Explorer(PROCESS, MOVES, personas, steps=14).run(data, make)
