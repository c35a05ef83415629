from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.declarations.models import Application, ApplicationStatus, ObjectionStatus
from qifu.declarations.services import (
    TransitionNotAllowed,
    application_accept,
    application_approve,
    application_finalise_due,
    application_reject,
    application_return,
    application_save_draft,
    application_submit,
    objection_answer,
    objection_file,
    results_publish,
)
from qifu.declarations.tests.conftest import MATERIAL, SHANGHAI, pdf
from qifu.notifications.models import Notification

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def _draft(call: Any, user: Any, **kw: Any) -> Application:
    return application_save_draft(user=user, call=call, project_name="海洋食品精深加工生产线", **kw)


def test_submission_within_the_window_stores_the_accept_deadline(
    submitted: Application,
) -> None:
    assert submitted.status == S.SUBMITTED
    # Five working days after Thursday 26 November: Thursday 3 December at the cut-off.
    assert submitted.accept_due_at is not None
    assert submitted.accept_due_at.astimezone(SHANGHAI).date() == dt.date(2026, 12, 3)
    assert [e.action for e in submitted.events.all()] == ["draft", "submit"]


def test_submission_outside_the_window_is_refused(
    now: Any, publish_call: Any, enterprise_user: Any
) -> None:
    call = publish_call(opens_on=dt.date(2026, 12, 1), closes_on=dt.date(2026, 12, 31))
    application = _draft(call, enterprise_user, files={MATERIAL: pdf()})
    with pytest.raises(ValidationError, match="不在申报期内"):
        application_submit(application=application, user=enterprise_user)
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_an_ineligible_enterprise_is_refused_with_reasons(
    now: Any, publish_call: Any, enterprise_user: Any
) -> None:
    call = publish_call(criteria={"scales": ["large"], "qualifications_all": ["high_tech"]})
    application = _draft(call, enterprise_user, files={MATERIAL: pdf()})
    with pytest.raises(ValidationError) as refused:
        application_submit(application=application, user=enterprise_user)
    text = " ".join(refused.value.messages)
    assert "不符合申报条件" in text
    assert "高新技术企业" in text


def test_submission_without_the_required_materials_is_refused(
    call: Any, enterprise_user: Any
) -> None:
    application = _draft(call, enterprise_user)
    with pytest.raises(ValidationError, match=MATERIAL):
        application_submit(application=application, user=enterprise_user)


def test_materials_are_checked_by_their_content_not_their_name(
    call: Any, enterprise_user: Any
) -> None:
    fake = SimpleUploadedFile("申报书.pdf", b"just some text, not a pdf", "application/pdf")
    with pytest.raises(ValidationError):
        _draft(call, enterprise_user, files={MATERIAL: fake})
    assert not Application.objects.exists()


def test_a_returned_application_is_supplemented_and_resubmitted(
    submitted: Application, enterprise_user: Any, department_admin: Any
) -> None:
    returned = application_return(
        application=submitted, user=department_admin, reason="请补充近三年财务报表。"
    )
    assert returned.status == S.RETURNED
    assert returned.reason == "请补充近三年财务报表。"
    _draft(submitted.call, enterprise_user, summary="已补充财务报表", files={MATERIAL: pdf()})
    again = application_submit(application=submitted, user=enterprise_user)
    assert again.status == S.SUBMITTED
    assert again.reason == ""
    assert again.files.count() == 1
    assert [e.action for e in again.events.all()][-2:] == ["return", "submit"]


def test_a_supplement_may_come_after_the_closing_date(
    submitted: Application, enterprise_user: Any, department_admin: Any
) -> None:
    application_return(application=submitted, user=department_admin, reason="请补充。")
    with time_machine.travel(dt.datetime(2027, 1, 6, 10, 0, tzinfo=SHANGHAI), tick=False):
        again = application_submit(application=submitted, user=enterprise_user)
    assert again.status == S.SUBMITTED


def test_no_new_application_after_the_closing_date(call: Any, enterprise_user: Any) -> None:
    later = dt.datetime(2027, 1, 6, 10, 0, tzinfo=SHANGHAI)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(ValidationError, match="已截止"),
    ):
        _draft(call, enterprise_user)


def test_accepting_twice_is_not_allowed(submitted: Application, department_admin: Any) -> None:
    application_accept(application=submitted, user=department_admin)
    with pytest.raises(TransitionNotAllowed):
        application_accept(application=submitted, user=department_admin)


def test_approval_needs_acceptance_first(submitted: Application, department_admin: Any) -> None:
    with pytest.raises(TransitionNotAllowed):
        application_approve(application=submitted, user=department_admin)


def test_acceptance_stores_the_decision_deadline(
    submitted: Application, department_admin: Any
) -> None:
    accepted = application_accept(application=submitted, user=department_admin)
    assert accepted.decide_due_at is not None
    assert accepted.decide_due_at.astimezone(SHANGHAI).date() == dt.date(2026, 12, 3)


def test_only_the_department_of_the_call_reviews(
    submitted: Application, other_department_admin: Any, enterprise_user: Any
) -> None:
    with pytest.raises(PermissionDenied):
        application_accept(application=submitted, user=other_department_admin)
    with pytest.raises(PermissionDenied):
        application_accept(application=submitted, user=enterprise_user)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED


def test_a_rejection_needs_a_reason(submitted: Application, department_admin: Any) -> None:
    with pytest.raises(ValidationError):
        application_reject(application=submitted, user=department_admin, reason=" ")
    rejected = application_reject(
        application=submitted, user=department_admin, reason="不符合认定标准。"
    )
    assert rejected.status == S.REJECTED


def test_another_enterprise_cannot_submit_the_application(
    call: Any, enterprise_user: Any, other_enterprise_user: Any
) -> None:
    application = _draft(call, enterprise_user, files={MATERIAL: pdf()})
    with pytest.raises(PermissionDenied):
        application_submit(application=application, user=other_enterprise_user)


def test_publicity_ends_after_the_working_days_and_finalising_is_idempotent(
    approved: Application, department_admin: Any, now: Any
) -> None:
    assert results_publish(call=approved.call, user=department_admin) == 1
    approved.refresh_from_db()
    assert approved.status == S.PUBLICIZED
    assert approved.publicity_ends_at is not None
    assert approved.publicity_ends_at.astimezone(SHANGHAI).date() == dt.date(2026, 12, 3)
    assert application_finalise_due() == 0
    with time_machine.travel(dt.datetime(2026, 12, 3, 18, 0, tzinfo=SHANGHAI), tick=False):
        assert application_finalise_due() == 1
        assert application_finalise_due() == 0
    approved.refresh_from_db()
    assert approved.status == S.FINAL
    assert [e.action for e in approved.events.all()][-2:] == ["publish", "finalise"]


def test_publishing_results_with_nothing_approved_is_refused(
    submitted: Application, department_admin: Any
) -> None:
    with pytest.raises(ValidationError):
        results_publish(call=submitted.call, user=department_admin)


def test_an_upheld_objection_returns_the_application_to_review(
    approved: Application, department_admin: Any, other_enterprise_user: Any
) -> None:
    results_publish(call=approved.call, user=department_admin)
    objection = objection_file(
        application=approved, user=other_enterprise_user, reason="该企业规模信息不实。"
    )
    approved.refresh_from_db()
    assert approved.status == S.OBJECTION
    # While the objection is open, the publicity does not end.
    with time_machine.travel(dt.datetime(2026, 12, 10, 18, 0, tzinfo=SHANGHAI), tick=False):
        assert application_finalise_due() == 0
    answered = objection_answer(
        objection=objection, user=department_admin, upheld=True, answer="经核实，异议成立。"
    )
    assert answered.status == ObjectionStatus.UPHELD
    approved.refresh_from_db()
    assert approved.status == S.ACCEPTED
    assert approved.publicity_ends_at is None


def test_a_dismissed_objection_continues_the_publicity(
    approved: Application, department_admin: Any, other_enterprise_user: Any
) -> None:
    results_publish(call=approved.call, user=department_admin)
    objection = objection_file(application=approved, user=other_enterprise_user, reason="存疑。")
    objection_answer(
        objection=objection, user=department_admin, upheld=False, answer="经核实，信息属实。"
    )
    approved.refresh_from_db()
    assert approved.status == S.PUBLICIZED
    with pytest.raises(TransitionNotAllowed):
        objection_answer(objection=objection, user=department_admin, upheld=True, answer="再议")


def test_objections_are_only_possible_during_publicity(
    approved: Application, other_enterprise_user: Any
) -> None:
    with pytest.raises(TransitionNotAllowed):
        objection_file(application=approved, user=other_enterprise_user, reason="存疑。")


def test_another_department_cannot_answer_an_objection(
    approved: Application, department_admin: Any, other_department_admin: Any, superuser: Any
) -> None:
    results_publish(call=approved.call, user=department_admin)
    objection = objection_file(application=approved, user=superuser, reason="存疑。")
    with pytest.raises(PermissionDenied):
        objection_answer(
            objection=objection, user=other_department_admin, upheld=True, answer="越权"
        )


def test_the_enterprise_hears_of_every_step_and_the_department_of_submissions(
    django_capture_on_commit_callbacks: Any,
    call: Any,
    enterprise_user: Any,
    department_admin: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = _draft(call, enterprise_user, files={MATERIAL: pdf()})
        application_submit(application=application, user=enterprise_user)
        application_accept(application=application, user=department_admin)
    titles = list(Notification.objects.filter(user=enterprise_user).values_list("title", flat=True))
    assert "申报已提交" in titles
    assert "申报已受理" in titles
    assert Notification.objects.filter(user=department_admin, title="新的项目申报").exists()


def test_publishing_a_call_pushes_it_to_eligible_enterprises_only(
    django_capture_on_commit_callbacks: Any,
    now: Any,
    publish_call: Any,
    enterprise_user: Any,
    other_enterprise_user: Any,
) -> None:
    other_enterprise_user.enterprise.scale = "large"
    other_enterprise_user.enterprise.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish_call()
    pushed = Notification.objects.filter(title="新的项目申报通知")
    assert list(pushed.values_list("user_id", flat=True)) == [enterprise_user.pk]
