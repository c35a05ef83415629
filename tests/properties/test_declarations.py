"""项目申报 applications: random sequences of the services by random personas keep the table's
invariants (tests/properties/harness.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from qifu.declarations import services
from qifu.declarations.models import Objection, ObjectionStatus
from qifu.declarations.tests.conftest import MATERIAL, pdf
from qifu.declarations.workflow import PROCESS
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move


def _answer(upheld: bool) -> Any:
    def run(user: Any, application: Any) -> Any:
        pending = Objection.objects.filter(
            application=application, status=ObjectionStatus.PENDING
        ).first()
        if pending is None:
            return None
        return services.objection_answer(
            objection=pending, user=user, upheld=upheld, answer="经核查，已作答复。"
        )

    return run


def _finalise(user: Any, application: Any) -> Any:
    # The platform's job at the end of the publicity (no user: nothing to check of the persona).
    services.application_finalise_due(now=timezone.now() + dt.timedelta(days=60))
    return None


def _publish(user: Any, application: Any) -> Any:
    # Publishes the call's approved results: something published must have been offered.
    return services.results_publish(call=application.call, user=user) or None


MOVES = [
    Move(
        "edit",
        ("edit",),
        lambda u, a: services.application_save_draft(
            user=u, call=a.call, application=a, project_name="海洋食品精深加工生产线（修改）"
        ),
    ),
    Move(
        "attach",
        ("edit",),
        lambda u, a: services.application_files_add(application=a, user=u, files={MATERIAL: pdf()}),
    ),
    Move("submit", ("submit",), lambda u, a: services.application_submit(application=a, user=u)),
    Move("accept", ("accept",), lambda u, a: services.application_accept(application=a, user=u)),
    Move(
        "return",
        ("return",),
        lambda u, a: services.application_return(application=a, user=u, reason="请补充财务报表"),
    ),
    Move(
        "reject",
        ("reject",),
        lambda u, a: services.application_reject(application=a, user=u, reason="不符合申报条件"),
    ),
    Move("approve", ("approve",), lambda u, a: services.application_approve(application=a, user=u)),
    Move("publish", ("publish",), _publish),
    Move(
        "object",
        ("object",),
        lambda u, a: services.objection_file(application=a, user=u, reason="该企业未实际投产"),
    ),
    Move("uphold", ("uphold",), _answer(True)),
    Move("dismiss", ("dismiss",), _answer(False)),
    Move("finalise", ("finalise",), _finalise, offer=lambda u, a: a.status == "publicized"),
]


@PROPERTY_SETTINGS
@given(data=st.data())
def test_declaration_process_keeps_its_invariants(
    data: st.DataObject,
    call: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    platform_staff: Any,
    department_admin: Any,
    other_department_admin: Any,
) -> None:
    def make() -> Any:
        return services.application_save_draft(
            user=enterprise_user, call=call, project_name="海洋食品精深加工生产线"
        )

    personas = {
        "enterprise_a": enterprise_user,
        "enterprise_b": other_enterprise_user,
        "platform_staff": platform_staff,
        "department_x": department_admin,
        "department_y": other_department_admin,
    }
    Explorer(PROCESS, MOVES, personas, steps=14).run(data, make)
