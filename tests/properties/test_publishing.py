"""Review before publishing (先审核、后发布): random sequences of the services by random personas
keep the table's invariants for a notice (tests/properties/harness.py)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qifu.content.models import Notice
from qifu.content.services import notice_create
from qifu.publishing import services
from qifu.publishing.models import PublicationAction as A
from qifu.publishing.workflow import process_for
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move

MOVES = [
    Move(
        "update",
        (A.UPDATE, A.EDIT),
        lambda u, n: services.publication_update(
            item=n, actor=u, changes={"title": "工信局开展助企服务月活动（更新）"}
        ),
    ),
    Move("submit", (A.SUBMIT,), lambda u, n: services.publication_submit(item=n, actor=u)),
    Move("approve", (A.APPROVE,), lambda u, n: services.publication_approve(item=n, actor=u)),
    Move(
        "return",
        (A.RETURN,),
        lambda u, n: services.publication_return(item=n, actor=u, reason="请补充活动时间"),
    ),
    Move(
        "publish",
        (A.PUBLISH, A.SCHEDULE),
        lambda u, n: services.publication_publish(item=n, actor=u),
    ),
    Move(
        "withdraw",
        (A.WITHDRAW,),
        lambda u, n: services.publication_withdraw(item=n, actor=u, reason="活动取消"),
    ),
]


@PROPERTY_SETTINGS
@given(data=st.data())
def test_publication_process_keeps_its_invariants(
    data: st.DataObject,
    enterprise_user: Any,
    platform_staff: Any,
    department_admin: Any,
    other_department_admin: Any,
    superuser: Any,
) -> None:
    def make() -> Any:
        return notice_create(
            author=department_admin,
            kind="news",
            title="工信局开展助企服务月活动",
            summary="走访企业百家",
            body="第一段。\n\n第二段。",
        )

    personas = {
        "enterprise_a": enterprise_user,
        "platform_staff": platform_staff,
        "department_x": department_admin,
        "department_y": other_department_admin,
        "superuser": superuser,
    }
    Explorer(process_for(Notice), MOVES, personas).run(data, make)
