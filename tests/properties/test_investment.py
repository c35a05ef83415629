"""The investment pipeline and its follow-up tasks: random sequences of the services by random
personas keep the tables' invariants (tests/properties/harness.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from qifu.accounts.validators import build_credit_code
from qifu.investment.pipeline import PROCESS, TASKS
from qifu.investment.services import leads as services
from qifu.investment.services.visits import task_complete, task_create
from qifu.investment.tests.personas import new_lead
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move

CODE = build_credit_code(serial=7001)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@PROPERTY_SETTINGS
@given(data=st.data())
def test_investment_pipeline_keeps_its_invariants(
    data: st.DataObject,
    templates: None,
    town: Any,
    steward: Any,
    officer: Any,
    other_officer: Any,
    investment_admin: Any,
    reviewer: Any,
    leader: Any,
    enterprise_user: Any,
    platform_staff: Any,
) -> None:
    def make() -> Any:
        lead = new_lead(officer)
        services.lead_update(lead=lead, actor=officer, changes={"town": town})
        return lead

    moves = [
        Move(
            "advance",
            ("advance",),
            lambda u, lead: services.lead_advance(
                lead=lead, actor=u, credit_code=CODE, note="推进"
            ),
        ),
        Move(
            "terminate",
            ("terminate",),
            lambda u, lead: services.lead_terminate(lead=lead, actor=u, reason="投资方暂缓投资"),
        ),
        Move("reopen", ("reopen",), lambda u, lead: services.lead_reopen(lead=lead, actor=u)),
        Move(
            "contact",
            ("contact",),
            lambda u, lead: services.lead_contact(
                lead=lead, actor=u, way="phone", content="电话沟通考察安排"
            ),
        ),
        Move(
            "assign",
            ("assign",),
            lambda u, lead: services.lead_assign(lead=lead, actor=u, owner=other_officer),
        ),
        Move(
            "document",
            ("document",),
            lambda u, lead: services.lead_document_add(
                lead=lead,
                actor=u,
                upload=SimpleUploadedFile("合作协议.pdf", PDF, "application/pdf"),
                kind="agreement",
            ),
        ),
        Move(
            "update",
            ("update",),
            lambda u, lead: services.lead_update(
                lead=lead, actor=u, changes={"contact_name": "周建华"}
            ),
        ),
    ]
    personas = {
        "officer": officer,
        "other_officer": other_officer,
        "investment_admin": investment_admin,
        "reviewer": reviewer,
        "leader": leader,
        "enterprise_a": enterprise_user,
        "platform_staff": platform_staff,
    }
    Explorer(PROCESS, moves, personas, exact=frozenset({"next_due_at"}), steps=20).run(data, make)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_follow_up_tasks_keep_their_invariants(
    data: st.DataObject,
    officer: Any,
    other_officer: Any,
    investment_admin: Any,
    reviewer: Any,
    leader: Any,
    enterprise_user: Any,
    lead: Any,
) -> None:
    def make() -> Any:
        return task_create(
            actor=officer,
            title="回访投资方确认考察行程",
            assignee=other_officer,
            due_at=timezone.now() + dt.timedelta(days=3),
            lead=lead,
        )

    moves = [
        Move(
            "complete", ("complete",), lambda u, t: task_complete(task=t, actor=u, result="已回访")
        ),
        Move("cancel", ("cancel",), lambda u, t: task_complete(task=t, actor=u, cancel=True)),
    ]
    personas = {
        "officer": officer,
        "assignee": other_officer,
        "investment_admin": investment_admin,
        "reviewer": reviewer,
        "leader": leader,
        "enterprise_a": enterprise_user,
    }
    Explorer(TASKS, moves, personas).run(data, make)
