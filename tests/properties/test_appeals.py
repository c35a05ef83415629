"""企业诉求: random sequences of the appeal services by random personas keep the table's
invariants (tests/properties/harness.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qifu.appeals.models import AppealAction as A
from qifu.appeals.models import Extension, ExtensionStatus
from qifu.appeals.services import (
    appeal_accept,
    appeal_close,
    appeal_contact,
    appeal_dispatch,
    appeal_evaluate,
    appeal_extension_decide,
    appeal_extension_request,
    appeal_file,
    appeal_followup,
    appeal_merge,
    appeal_note,
    appeal_respond,
    appeal_return,
    appeal_supervise,
    appeal_triage,
)
from qifu.appeals.workflow import PROCESS
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move

CONTACT = {"way": "phone", "content": "电话联系企业，了解奖补资金拨付进度。", "person": "张经理"}


def _file(user: Any, category: Any) -> Any:
    appeal, _ = appeal_file(
        user=user,
        title="申请技改设备奖补资金迟迟未到账",
        content="我公司2025年技改设备投资奖补已公示，但至今未拨付，请协调。",
        category=category,
        contact_name="张经理",
        contact_phone="13905310001",
    )
    return appeal


def _decide(approve: bool) -> Any:
    def run(user: Any, appeal: Any) -> Any:
        pending = Extension.objects.filter(appeal=appeal, status=ExtensionStatus.PENDING).first()
        if pending is None:  # nothing to decide: the move is not offered
            return None
        return appeal_extension_decide(extension=pending, user=user, approve=approve, note="同意")

    return run


@PROPERTY_SETTINGS
@given(data=st.data())
def test_appeal_process_keeps_its_invariants(
    data: st.DataObject,
    category: Any,
    department: Any,
    other_department: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    platform_staff: Any,
    department_admin: Any,
    other_department_admin: Any,
    commissioner: Any,
    leader: Any,
) -> None:
    other: dict[str, Any] = {}

    def make() -> Any:
        other["appeal"] = _file(other_enterprise_user, category)
        return _file(enterprise_user, category)

    moves = [
        Move(
            "triage",
            (A.TRIAGE,),
            lambda u, a: appeal_triage(
                appeal=a, user=u, category=category, department=department, note="属工信局职责"
            ),
        ),
        Move(
            "dispatch_x",
            (A.DISPATCH,),
            lambda u, a: appeal_dispatch(appeal=a, user=u, department=department, note="请办理"),
        ),
        Move(
            "dispatch_y",
            (A.DISPATCH,),
            lambda u, a: appeal_dispatch(appeal=a, user=u, department=other_department),
        ),
        Move("accept", (A.ACCEPT,), lambda u, a: appeal_accept(appeal=a, user=u)),
        Move("contact", (A.CONTACT,), lambda u, a: appeal_contact(appeal=a, user=u, **CONTACT)),
        Move(
            "return",
            (A.RETURN,),
            lambda u, a: appeal_return(appeal=a, user=u, reason="不属于本部门职责，请重新派发。"),
        ),
        Move(
            "extend",
            (A.EXTEND,),
            lambda u, a: appeal_extension_request(
                appeal=a, user=u, working_days=2, reason="需要现场核查设备"
            ),
        ),
        Move("approve_extension", (A.EXTENSION_APPROVED,), _decide(True)),
        Move("refuse_extension", (A.EXTENSION_REFUSED,), _decide(False)),
        Move(
            "respond",
            (A.RESPOND,),
            lambda u, a: appeal_respond(
                appeal=a,
                user=u,
                result="已协调财政部门，奖补资金将于本周内拨付到账。",
                contact=CONTACT,
            ),
        ),
        Move(
            "rate_satisfied",
            (A.EVALUATE,),
            lambda u, a: appeal_evaluate(appeal=a, user=u, satisfied=True, score=5),
        ),
        Move(
            "rate_unsatisfied",
            (A.EVALUATE,),
            lambda u, a: appeal_evaluate(
                appeal=a, user=u, satisfied=False, score=1, comment="资金仍未到账"
            ),
        ),
        Move(
            "followup",
            (A.FOLLOWUP,),
            lambda u, a: appeal_followup(
                appeal=a, user=u, satisfied=True, score=5, person="张经理", comment="满意"
            ),
        ),
        Move(
            "followup_unsatisfied",
            (A.FOLLOWUP,),
            lambda u, a: appeal_followup(
                appeal=a, user=u, satisfied=False, score=2, person="张经理", comment="不满意"
            ),
        ),
        Move("close", (A.CLOSE,), lambda u, a: appeal_close(appeal=a, user=u, note="已办结")),
        Move(
            "supervise",
            (A.SUPERVISE,),
            lambda u, a: appeal_supervise(appeal=a, user=u, note="请加快办理进度"),
        ),
        Move("note", (A.NOTE,), lambda u, a: appeal_note(appeal=a, user=u, note="已电话催办")),
        Move(
            "merge_into_other",
            (A.MERGED,),
            lambda u, a: appeal_merge(duplicate=a, into=other["appeal"], user=u, note="重复诉求"),
        ),
    ]
    personas = {
        "enterprise_a": enterprise_user,
        "enterprise_b": other_enterprise_user,
        "platform_staff": platform_staff,
        "department_x": department_admin,
        "department_y": other_department_admin,
        "commissioner": commissioner,
        "leader": leader,
    }
    explorer = Explorer(
        PROCESS,
        moves,
        personas,
        steps=20,
    )
    explorer.run(data, make)
