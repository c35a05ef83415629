"""The project steward's two processes (a project's approval items, the project itself): random
sequences of the services by random personas keep the tables' invariants
(tests/properties/harness.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from qifu.projects.models import EventAction as A
from qifu.projects.models import ItemStatus, ProjectStatus
from qifu.projects.services import (
    project_create,
    project_document_upload,
    project_item_complete,
    project_item_replan,
    project_item_request_document,
    project_item_start,
    project_item_waive,
    project_note_add,
    project_steward_change,
)
from qifu.projects.tests.conftest import PDF
from qifu.projects.workflow import ITEMS, PROJECTS, is_steward_of
from tests.properties.harness import PROPERTY_SETTINGS, Explorer, Move


def _project(platform_staff: Any, enterprise: Any) -> Any:
    return project_create(
        actor=platform_staff,
        enterprise=enterprise,
        name="年产2万吨海洋食品精深加工扩建项目",
        total_investment=18600,
        planned_start_on=dt.date(2026, 9, 1),
    )


def _personas(**users: Any) -> dict[str, Any]:
    return users


ITEM_MOVES = [
    Move("start", (A.START,), lambda u, i: project_item_start(actor=u, item=i)),
    Move(
        "complete",
        (A.COMPLETE,),
        lambda u, i: project_item_complete(
            actor=u, item=i, on=timezone.localdate(), note="已取得批复"
        ),
    ),
    Move(
        "waive",
        (A.WAIVE,),
        lambda u, i: project_item_waive(actor=u, item=i, reason="本项目不涉及该事项"),
    ),
    Move(
        "replan",
        (A.REPLAN,),
        lambda u, i: project_item_replan(
            actor=u,
            item=i,
            planned_start_on=dt.date(2026, 10, 8),
            planned_end_on=dt.date(2026, 10, 30),
            reason="企业调整开工计划",
            cascade=True,
        ),
    ),
    Move(
        "request_document",
        (A.REQUEST_DOCUMENT,),
        lambda u, i: project_item_request_document(actor=u, item=i, what="环评批复文件"),
    ),
]


@PROPERTY_SETTINGS
@given(data=st.data())
def test_project_item_process_keeps_its_invariants(
    data: st.DataObject,
    templates: None,
    assigned: Any,
    enterprise: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    platform_staff: Any,
    steward: Any,
    other_steward: Any,
    department_admin: Any,
    commissioner: Any,
) -> None:
    def make() -> Any:
        return _project(platform_staff, enterprise).items.order_by("id").first()

    personas = _personas(
        enterprise_a=enterprise_user,
        enterprise_b=other_enterprise_user,
        platform_staff=platform_staff,
        steward=steward,
        other_steward=other_steward,
        department_x=department_admin,
        commissioner=commissioner,
    )
    Explorer(ITEMS, ITEM_MOVES, personas, born_silent=True).run(data, make)


def _close_next_item(user: Any, project: Any) -> Any:
    """Close the project's first open item (the last one closed finishes the project)."""
    item = project.items.filter(status__in=[ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS])
    first = item.order_by("id").first()
    if first is None:
        return None
    project_item_waive(actor=user, item=first, reason="本项目不涉及该事项")
    return None


@PROPERTY_SETTINGS
@given(data=st.data())
def test_project_process_keeps_its_invariants(
    data: st.DataObject,
    templates: None,
    assigned: Any,
    enterprise: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
    platform_staff: Any,
    steward: Any,
    other_steward: Any,
    department_admin: Any,
) -> None:
    def make() -> Any:
        project = _project(platform_staff, enterprise)
        # One open item, so that closing it (项目竣工) is within reach of a short sequence.
        for item in project.items.order_by("id")[1:]:
            project_item_waive(actor=platform_staff, item=item, reason="本项目不涉及该事项")
        return project

    moves = [
        Move(
            "change_steward",
            (A.STEWARD,),
            lambda u, p: project_steward_change(actor=u, project=p, steward=other_steward),
        ),
        Move("note", (A.NOTE,), lambda u, p: project_note_add(actor=u, project=p, note="现场踏勘")),
        Move(
            "upload",
            (A.UPLOAD,),
            lambda u, p: project_document_upload(
                actor=u,
                project=p,
                upload=SimpleUploadedFile("批复.pdf", PDF, "application/pdf"),
            ),
        ),
        Move(
            "close_item",
            (A.FINISH,),
            _close_next_item,
            offer=lambda u, p: p.status == ProjectStatus.ACTIVE and is_steward_of(u, p),
        ),
    ]
    personas = _personas(
        enterprise_a=enterprise_user,
        enterprise_b=other_enterprise_user,
        platform_staff=platform_staff,
        steward=steward,
        other_steward=other_steward,
        department_x=department_admin,
    )
    Explorer(PROJECTS, moves, personas, history_filter={"item__isnull": True}).run(data, make)
