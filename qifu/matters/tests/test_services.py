from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.core.models import AuditEvent
from qifu.matters import services
from qifu.matters.models import ELicence, HandlingMode, MatterApplication, Status
from qifu.matters.tests.conftest import make_matter, pdf
from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def _apply(user: Any, matter: Any, **kw: Any) -> MatterApplication:
    return services.matter_application_apply(
        user=user,
        matter=matter,
        contact_name="张三",
        contact_phone="13900000001",
        files=[pdf()],
        **kw,
    )


@time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=TZ), tick=False)
def test_submitting_sets_the_deadline_in_working_days_from_the_promised_limit(
    enterprise_user: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)

    assert application.status == Status.SUBMITTED
    assert application.number.startswith("BJ20260306")
    # Friday 6 March + 5 working days skips the weekend: Friday 13 March, end of day.
    assert application.due_at is not None
    assert application.due_at.astimezone(TZ).date() == dt.date(2026, 3, 13)
    assert [e.action for e in application.events.all()] == ["create", "submit"]


def test_submitting_notifies_the_department_after_commit(
    enterprise_user: Any,
    department_admin: Any,
    matter: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _apply(enterprise_user, matter)

    assert Notification.objects.filter(user=department_admin, title__contains="新办件").exists()


def test_approval_issues_an_elicence_valid_for_the_matters_years(
    enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    services.matter_application_accept(user=department_admin, application=application)
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=TZ), tick=False):
        services.matter_application_approve(user=department_admin, application=application)

    licence = ELicence.objects.get(application=application)
    assert licence.enterprise == enterprise_user.enterprise
    assert licence.department == matter.department
    assert licence.issued_on == dt.date(2026, 4, 1)
    assert licence.valid_until == dt.date(2031, 3, 31)
    assert AuditEvent.objects.filter(action="matters.application.approve").exists()


def test_approval_of_a_matter_without_a_licence_issues_none(
    enterprise_user: Any, department_admin: Any, department: Any
) -> None:
    matter = make_matter(department, code="BG-001", name="变更登记", licence_name="")
    application = _apply(enterprise_user, matter)
    services.matter_application_accept(user=department_admin, application=application)
    services.matter_application_approve(user=department_admin, application=application)

    assert not ELicence.objects.exists()


def test_supplement_clears_the_deadline_and_resubmission_restarts_it(
    enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    services.matter_application_request_supplement(
        user=department_admin, application=application, reason="缺少生产场所平面图"
    )
    application.refresh_from_db()
    assert application.status == Status.SUPPLEMENT
    assert application.due_at is None

    services.matter_application_submit(
        user=enterprise_user, application=application, files=[pdf("平面图.pdf")]
    )
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.due_at is not None
    assert application.attachments.count() == 2
    assert application.events.filter(action="resubmit").exists()


def test_supplement_and_refusal_need_a_reason(
    enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    with pytest.raises(ValidationError):
        services.matter_application_request_supplement(
            user=department_admin, application=application, reason=" "
        )
    with pytest.raises(ValidationError):
        services.matter_application_refuse(
            user=department_admin, application=application, reason=""
        )


def test_approving_before_acceptance_is_a_conflict(
    enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    with pytest.raises(services.TransitionNotAllowed):
        services.matter_application_approve(user=department_admin, application=application)


def test_refused_application_cannot_be_resubmitted(
    enterprise_user: Any, department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    services.matter_application_refuse(
        user=department_admin, application=application, reason="不符合产业政策"
    )
    with pytest.raises(services.TransitionNotAllowed):
        services.matter_application_submit(user=enterprise_user, application=application)


def test_another_department_cannot_act(
    enterprise_user: Any, other_department_admin: Any, matter: Any
) -> None:
    application = _apply(enterprise_user, matter)
    with pytest.raises(PermissionDenied):
        services.matter_application_accept(user=other_department_admin, application=application)


def test_another_enterprise_cannot_submit(
    enterprise_user: Any, other_enterprise_user: Any, matter: Any
) -> None:
    application = services.matter_application_create(
        user=enterprise_user, matter=matter, contact_name="张三", contact_phone="1390000"
    )
    with pytest.raises(PermissionDenied):
        services.matter_application_submit(user=other_enterprise_user, application=application)


def test_submitting_without_materials_is_refused_when_the_guide_lists_some(
    enterprise_user: Any, matter: Any
) -> None:
    with pytest.raises(ValidationError) as info:
        services.matter_application_apply(
            user=enterprise_user, matter=matter, contact_name="张三", contact_phone="139"
        )
    assert "materials" in info.value.message_dict
    assert not MatterApplication.objects.exists()


def test_a_file_whose_content_is_not_an_allowed_kind_is_refused(
    enterprise_user: Any, matter: Any
) -> None:
    fake = SimpleUploadedFile("申请书.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError):
        services.matter_application_apply(
            user=enterprise_user,
            matter=matter,
            contact_name="张三",
            contact_phone="139",
            files=[fake],
        )


def test_matters_handled_elsewhere_cannot_be_applied_for_online(
    enterprise_user: Any, department: Any
) -> None:
    matter = make_matter(
        department, code="SL-001", handling_mode=HandlingMode.EXTERNAL, connector_code="ycht"
    )
    with pytest.raises(ValidationError):
        _apply(enterprise_user, matter)


def test_only_enterprise_users_apply(department_admin: Any, matter: Any) -> None:
    with pytest.raises(PermissionDenied):
        _apply(department_admin, matter)
