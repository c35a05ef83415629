from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from qifu.core.models import AuditEvent
from qifu.notifications.models import Notification
from qifu.projects import selectors, services
from qifu.projects.models import (
    EventAction,
    ItemStatus,
    Project,
    ProjectItemTemplate,
    ProjectStatus,
    Stage,
)
from qifu.projects.tests.conftest import TZ, assign_steward, make_project, pdf

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=TZ), tick=False):
        yield


# --- templates and creation ---------------------------------------------------------------------


def test_loading_templates_twice_adds_nothing_and_keeps_a_citys_edit(db: Any) -> None:
    out = StringIO()
    call_command("load_project_templates", stdout=out)
    ProjectItemTemplate.objects.filter(code="fire-design").update(working_days=10)
    call_command("load_project_templates", stdout=out)

    assert ProjectItemTemplate.objects.count() == 10
    assert ProjectItemTemplate.objects.get(code="fire-design").working_days == 10
    assert "新增 0 项" in out.getvalue()


def test_creating_a_project_copies_the_templates_and_plans_them_in_dependency_order(
    project: Project, steward: Any, django_capture_on_commit_callbacks: Any
) -> None:
    items = {i.code: i for i in project.items.prefetch_related("depends_on")}

    assert len(items) == 10
    assert items["record"].planned_start_on == items["record"].planned_end_on == D(2026, 9, 1)
    permit = items["construction-permit"]
    assert {d.code for d in permit.depends_on.all()} == {"drawing-review", "fire-design"}
    assert permit.planned_start_on > items["fire-design"].planned_end_on  # type: ignore[operator]
    # Blank prerequisites: the stage gate, after every item of the previous stage.
    assert {d.code for d in items["drawing-review"].depends_on.all()} == {
        "design-review",
        "works-planning",
    }
    assert project.planned_completion_on == items["completion-record"].planned_end_on
    assert project.steward == steward  # the enterprise's current steward
    assert project.current_stage == Stage.APPROVAL
    assert project.events.get().action == EventAction.CREATE
    assert AuditEvent.objects.filter(action="projects.project.create").exists()


def test_the_enterprise_is_notified_of_a_new_project_after_commit(
    templates: None,
    assigned: Any,
    platform_staff: Any,
    enterprise: Any,
    enterprise_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_project(platform_staff, enterprise)

    assert Notification.objects.filter(user=enterprise_user, title__contains="项目已登记").exists()


def test_an_enterprise_user_cannot_create_a_project(
    templates: None, enterprise_user: Any, enterprise: Any
) -> None:
    with pytest.raises(PermissionDenied):
        make_project(enterprise_user, enterprise)


def test_a_steward_creates_only_for_an_enterprise_they_serve(
    templates: None, steward: Any, enterprise: Any, other_enterprise: Any
) -> None:
    with pytest.raises(PermissionDenied):
        make_project(steward, other_enterprise)
    assign_steward(other_enterprise, steward)

    project = make_project(steward, other_enterprise)

    assert project.steward == steward


def test_a_malformed_or_repeated_project_code_is_refused_on_its_field(
    templates: None, platform_staff: Any, enterprise: Any
) -> None:
    with pytest.raises(ValidationError) as bad:
        make_project(platform_staff, enterprise, code="2609-37108")
    assert "code" in bad.value.message_dict
    make_project(platform_staff, enterprise, code="2609-371082-04-01-123456")

    with pytest.raises(ValidationError) as repeated:
        make_project(platform_staff, enterprise, code="2609-371082-04-01-123456")
    assert repeated.value.message_dict["code"] == ["该项目代码已登记。"]


def test_creating_without_templates_explains_what_to_do(
    platform_staff: Any, enterprise: Any
) -> None:
    with pytest.raises(ValidationError, match="load_project_templates"):
        make_project(platform_staff, enterprise)


# --- item actions ------------------------------------------------------------------------------


def test_the_steward_starts_and_completes_an_item_with_its_document(
    project: Project, steward: Any, django_capture_on_commit_callbacks: Any, enterprise_user: Any
) -> None:
    item = project.items.get(code="record")

    services.project_item_start(actor=steward, item=item, on=D(2026, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        services.project_item_complete(
            actor=steward, item=item, on=D(2026, 9, 2), note="已备案", document=pdf()
        )

    item.refresh_from_db()
    assert (item.status, item.actual_start_on, item.actual_end_on) == (
        ItemStatus.DONE,
        D(2026, 9, 1),
        D(2026, 9, 2),
    )
    assert project.documents.get().item == item
    assert [e.action for e in project.events.all()] == ["create", "start", "complete"]
    project.refresh_from_db()
    assert project.current_stage == Stage.LAND
    assert Notification.objects.filter(user=enterprise_user, title__contains="已完成").exists()


def test_completing_an_item_twice_is_refused(project: Project, steward: Any) -> None:
    item = project.items.get(code="record")
    services.project_item_complete(actor=steward, item=item, on=D(2026, 9, 1))

    with pytest.raises(services.TransitionNotAllowed):
        services.project_item_complete(actor=steward, item=item, on=D(2026, 9, 1))
    assert project.events.filter(action=EventAction.COMPLETE).count() == 1


def test_an_item_cannot_be_started_twice(project: Project, steward: Any) -> None:
    item = project.items.get(code="record")
    services.project_item_start(actor=steward, item=item)

    with pytest.raises(services.TransitionNotAllowed):
        services.project_item_start(actor=steward, item=item)


def test_an_actual_date_in_the_future_is_refused(project: Project, steward: Any) -> None:
    item = project.items.get(code="record")

    with pytest.raises(ValidationError) as error:
        services.project_item_complete(actor=steward, item=item, on=D(2026, 11, 27))

    assert "actual_end_on" in error.value.message_dict


def test_a_completion_before_the_start_is_refused(project: Project, steward: Any) -> None:
    item = project.items.get(code="record")
    services.project_item_start(actor=steward, item=item, on=D(2026, 9, 10))

    with pytest.raises(ValidationError):
        services.project_item_complete(actor=steward, item=item, on=D(2026, 9, 9))


@pytest.mark.parametrize("who", ["enterprise_user", "other_commissioner", "department_admin"])
def test_only_the_projects_steward_may_act_on_its_items(
    project: Project, who: str, request: Any
) -> None:
    user = request.getfixturevalue(who)
    item = project.items.get(code="record")

    with pytest.raises(PermissionDenied):
        services.project_item_start(actor=user, item=item)


def test_platform_staff_may_stand_in_for_the_steward(project: Project, platform_staff: Any) -> None:
    item = project.items.get(code="record")

    services.project_item_start(actor=platform_staff, item=item)

    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS


def test_waiving_needs_a_reason_and_records_it(project: Project, steward: Any) -> None:
    item = project.items.get(code="design-review")
    with pytest.raises(ValidationError):
        services.project_item_waive(actor=steward, item=item, reason=" ")

    services.project_item_waive(actor=steward, item=item, reason="带方案出让")

    item.refresh_from_db()
    assert (item.status, item.waive_reason) == (ItemStatus.WAIVED, "带方案出让")


def test_closing_every_item_completes_the_project(project: Project, steward: Any) -> None:
    for item in project.items.order_by("order"):
        services.project_item_complete(actor=steward, item=item, on=D(2026, 11, 2))

    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED
    assert project.completed_on == D(2026, 11, 2)
    assert project.current_stage == Stage.ACCEPTANCE
    assert project.events.filter(action=EventAction.FINISH).count() == 1


def test_replanning_needs_a_reason_and_a_sane_range_and_moves_the_projects_plan(
    project: Project, steward: Any
) -> None:
    item = project.items.get(code="completion-record")
    with pytest.raises(ValidationError) as error:
        services.project_item_replan(
            actor=steward,
            item=item,
            planned_start_on=D(2027, 2, 1),
            planned_end_on=D(2027, 1, 1),
            reason="",
        )
    assert set(error.value.message_dict) == {"reason", "planned_end_on"}

    services.project_item_replan(
        actor=steward,
        item=item,
        planned_start_on=D(2027, 2, 1),
        planned_end_on=D(2027, 2, 26),
        reason="冬季停工",
    )

    project.refresh_from_db()
    assert project.planned_completion_on == D(2027, 2, 26)
    assert "冬季停工" in project.events.get(action=EventAction.REPLAN).note


def test_internal_notes_are_kept_from_the_enterprise(project: Project, steward: Any) -> None:
    services.project_note_add(actor=steward, project=project, note="资金到位情况待核实")
    services.project_note_add(
        actor=steward, project=project, note="已约设计单位", is_internal=False
    )

    seen = [e.note for e in selectors.project_events(project, include_internal=False)]

    assert "已约设计单位" in seen
    assert "资金到位情况待核实" not in seen


def test_an_enterprise_cannot_add_a_note(project: Project, enterprise_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.project_note_add(actor=enterprise_user, project=project, note="x")


# --- documents -------------------------------------------------------------------------------


def test_the_enterprise_uploads_only_what_the_steward_asked_for(
    project: Project, steward: Any, enterprise_user: Any
) -> None:
    item = project.items.get(code="fire-design")
    with pytest.raises(ValidationError):
        services.project_document_upload(
            actor=enterprise_user, project=project, item=item, upload=pdf()
        )

    services.project_item_request_document(actor=steward, item=item, what="冷库防火分区说明")
    services.project_document_upload(
        actor=enterprise_user, project=project, item=item, upload=pdf("防火分区说明.pdf")
    )

    item.refresh_from_db()
    assert item.document_requested == ""
    assert project.documents.get().original_name == "防火分区说明.pdf"
    with pytest.raises(ValidationError):  # the request is answered
        services.project_document_upload(
            actor=enterprise_user, project=project, item=item, upload=pdf()
        )


def test_an_upload_is_checked_by_its_content(project: Project, steward: Any) -> None:
    fake = SimpleUploadedFile("批复.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")

    with pytest.raises(ValidationError) as error:
        services.project_document_upload(actor=steward, project=project, upload=fake)

    assert "file" in error.value.message_dict


def test_another_enterprise_cannot_upload(project: Project, other_enterprise_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.project_document_upload(actor=other_enterprise_user, project=project, upload=pdf())


# --- stewards ---------------------------------------------------------------------------------


def test_platform_staff_change_the_steward(
    project: Project, platform_staff: Any, agency: Any
) -> None:
    from qifu.accounts.models import Role
    from qifu.accounts.services import user_create

    other = user_create(
        username="guanjia2_t", password="x", roles=[Role.STEWARD], department=agency, validate=False
    )

    services.project_steward_change(actor=platform_staff, project=project, steward=other)

    project.refresh_from_db()
    assert project.steward == other
    assert project.events.filter(action=EventAction.STEWARD).exists()


def test_a_steward_cannot_reassign_and_a_non_steward_cannot_be_assigned(
    project: Project, steward: Any, platform_staff: Any, commissioner: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.project_steward_change(actor=steward, project=project, steward=steward)
    with pytest.raises(ValidationError):
        services.project_steward_change(actor=platform_staff, project=project, steward=commissioner)
