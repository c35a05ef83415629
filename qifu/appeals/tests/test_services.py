"""The appeal workflow: stages, deadlines, re-dispatch, supervision, conflicts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.appeals import services, tasks
from qifu.appeals.models import AppealEvent, Assignment, AssignmentOutcome, Stage
from qifu.core.models import AuditEvent
from qifu.notifications.models import Notification

SH = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def _dispatch(appeal, staff, department):
    return services.appeal_dispatch(appeal=appeal, user=staff, department=department, note="请办理")


CONTACT = {"way": "phone", "person": "张经理", "content": "电话了解资金拨付情况。"}


def _respond(appeal, handler, contact=CONTACT):
    return services.appeal_respond(
        appeal=appeal, user=handler, result="已与企业联系，资金已于本周拨付到账。", contact=contact
    )


@time_machine.travel(at(2026, 9, 30, 10, 0), tick=False)
def test_filing_sets_the_same_day_dispatch_deadline(make_appeal):
    appeal = make_appeal()
    assert appeal.stage == Stage.RECEIVED
    assert appeal.dispatch_due_at == at(2026, 9, 30, 17, 0)
    assert appeal.number.startswith("SQ20260930")
    assert list(appeal.events.values_list("action", flat=True)) == ["file"]


@time_machine.travel(at(2026, 9, 30, 17, 30), tick=False)
def test_an_appeal_after_the_cutoff_is_due_on_the_next_working_day_across_the_holiday(make_appeal):
    appeal = make_appeal()
    # 10月1日–7日国庆放假，10月8日为节后第一个工作日。
    assert appeal.dispatch_due_at == at(2026, 10, 8, 17, 0)


def test_staff_record_a_phone_appeal_with_a_past_received_time(
    platform_staff, enterprise, category
):
    with time_machine.travel(at(2026, 2, 13, 18, 0), tick=False):
        appeal, created = services.appeal_file(
            user=platform_staff,
            title="用电增容",
            content="新厂区需增容至2000千伏安。",
            category=category,
            enterprise=enterprise,
            received_at=at(2026, 2, 13, 16, 30),
            channel="phone",
        )
    assert created
    assert appeal.channel == "phone"
    assert appeal.enterprise == enterprise
    # Received before 17:00 on a working day: due 17:00 the same day, even though recorded later.
    assert appeal.dispatch_due_at == at(2026, 2, 13, 17, 0)
    assert appeal.events.get().action == "record"


def test_staff_recording_needs_an_enterprise(platform_staff, category):
    with pytest.raises(ValidationError) as info:
        services.appeal_file(user=platform_staff, title="t", content="c", category=category)
    assert "enterprise" in info.value.message_dict


def test_same_idempotency_key_creates_one_appeal(make_appeal, enterprise_user):
    first = make_appeal(idempotency_key="k-1")
    second, created = services.appeal_file(
        user=enterprise_user,
        title="x",
        content="y",
        category=first.category,
        idempotency_key="k-1",
    )
    assert not created
    assert second.pk == first.pk


@time_machine.travel(at(2026, 9, 18, 9, 0), tick=False)
def test_full_lifecycle_to_close(
    make_appeal, platform_staff, department_admin, department, enterprise_user
):
    appeal = make_appeal()
    services.appeal_triage(
        appeal=appeal, user=platform_staff, category=appeal.category, department=department
    )
    appeal = _dispatch(appeal, platform_staff, department)
    assert appeal.stage == Stage.DISPATCHED
    # 9月20日（周日）调休上班，计入工作日：20、21、22日。
    assert appeal.respond_due_at == at(2026, 9, 22, 17, 0)
    services.appeal_accept(appeal=appeal, user=department_admin)
    services.appeal_contact(
        appeal=appeal,
        user=department_admin,
        way="phone",
        content="已电话联系张经理，了解资金拨付情况。",
    )
    appeal = _respond(appeal, department_admin, contact=None)
    assert appeal.stage == Stage.RESPONDED
    # Follow-up within 2 working days of the response.
    assert appeal.followup_due_at == at(2026, 9, 21, 17, 0)
    services.appeal_followup(
        appeal=appeal, user=platform_staff, satisfied=True, score=5, comment="问题已解决"
    )
    appeal.refresh_from_db()
    assert appeal.stage == Stage.FOLLOWED_UP
    appeal = services.appeal_close(appeal=appeal, user=platform_staff)
    assert appeal.stage == Stage.CLOSED
    actions = list(appeal.events.values_list("action", flat=True))
    assert actions == [
        "file",
        "triage",
        "dispatch",
        "accept",
        "contact",
        "respond",
        "followup",
        "close",
    ]
    assert AuditEvent.objects.filter(action="appeals.dispatch", object_id=str(appeal.pk)).exists()


def test_dispatch_notifies_the_department_after_commit(
    make_appeal, platform_staff, department_admin, department, django_capture_on_commit_callbacks
):
    appeal = make_appeal()
    with django_capture_on_commit_callbacks(execute=True):
        _dispatch(appeal, platform_staff, department)
    assert Notification.objects.filter(user=department_admin, title="新派单").exists()


def test_only_platform_staff_may_dispatch(make_appeal, department_admin, department):
    appeal = make_appeal()
    with pytest.raises(PermissionDenied):
        _dispatch(appeal, department_admin, department)


def test_another_department_cannot_respond(
    make_appeal, platform_staff, department, other_department_admin
):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    with pytest.raises(PermissionDenied):
        _respond(appeal, other_department_admin)


def test_a_stage_that_does_not_allow_the_action_raises_a_conflict(make_appeal, department_admin):
    appeal = make_appeal()
    with pytest.raises(services.TransitionNotAllowed):
        _respond(appeal, department_admin)


def test_a_second_accept_is_a_conflict(make_appeal, platform_staff, department, department_admin):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    services.appeal_accept(appeal=appeal, user=department_admin)
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_accept(appeal=appeal, user=department_admin)


def test_return_sends_it_back_for_triage_and_counts_as_bouncing(
    make_appeal, platform_staff, department, department_admin
):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    with pytest.raises(ValidationError):
        services.appeal_return(appeal=appeal, user=department_admin, reason="")
    appeal = services.appeal_return(
        appeal=appeal, user=department_admin, reason="属于住建局职责，应由住建局承办"
    )
    assert appeal.stage == Stage.TRIAGED
    assert appeal.department is None
    assert Assignment.objects.get(appeal=appeal).outcome == AssignmentOutcome.RETURNED
    event = appeal.events.get(action="return")
    assert not event.is_public


@time_machine.travel(at(2026, 9, 18, 9, 0), tick=False)
def test_extension_approved_moves_the_deadline(
    make_appeal, platform_staff, department, department_admin
):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    ext = services.appeal_extension_request(
        appeal=appeal, user=department_admin, working_days=5, reason="需现场勘查并协调供电公司"
    )
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_extension_request(
            appeal=appeal, user=department_admin, working_days=2, reason="再次申请延期"
        )
    services.appeal_extension_decide(extension=ext, user=platform_staff, approve=True)
    appeal.refresh_from_db()
    # The statutory limit stays the measure; the extension is recorded beside it.
    assert appeal.respond_due_at == at(2026, 9, 22, 17, 0)
    # From the deadline 9月22日, 5 working days over 中秋 (25–27): 23, 24, 28, 29, 30.
    assert appeal.extended_due_at == at(2026, 9, 30, 17, 0)
    assert appeal.current_due_at == at(2026, 9, 30, 17, 0)
    assert appeal.is_extended
    assignment = Assignment.objects.get(appeal=appeal)
    assert (assignment.respond_due_at, assignment.extended_due_at) == (
        at(2026, 9, 22, 17, 0),
        at(2026, 9, 30, 17, 0),
    )
    assert assignment.extension_days == 5
    assert assignment.extension_reason == "需现场勘查并协调供电公司"
    # The enterprise sees the new date and the reason on its timeline.
    approved = appeal.events.get(action="extension_approved")
    assert approved.is_public
    assert "2026-09-30 17:00" in approved.note and "需现场勘查并协调供电公司" in approved.note


@time_machine.travel(at(2026, 9, 18, 9, 0), tick=False)
def test_only_one_extension_per_round_by_default(
    make_appeal, platform_staff, department, department_admin
):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    ext = services.appeal_extension_request(
        appeal=appeal, user=department_admin, working_days=3, reason="需现场勘查"
    )
    services.appeal_extension_decide(extension=ext, user=platform_staff, approve=True)
    with pytest.raises(services.TransitionNotAllowed, match="最多延期1次"):
        services.appeal_extension_request(
            appeal=appeal, user=department_admin, working_days=2, reason="仍需协调"
        )


def test_a_reply_within_the_extension_but_after_the_statutory_limit_is_still_late(
    make_appeal, platform_staff, department, department_admin
):
    """Lateness is never erased: 14 working days after dispatch is late, extended or not."""
    with time_machine.travel(at(2026, 9, 18, 9, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)
        ext = services.appeal_extension_request(
            appeal=appeal, user=department_admin, working_days=5, reason="需现场勘查"
        )
        services.appeal_extension_decide(extension=ext, user=platform_staff, approve=True)
    with time_machine.travel(at(2026, 9, 29, 10, 0), tick=False):
        appeal = _respond(appeal, department_admin)
    assignment = Assignment.objects.get(appeal=appeal)
    assert assignment.responded_on_time is False
    assert assignment.met_extended_due is True
    assert appeal.was_overdue
    assert appeal.is_overdue()


def test_a_reply_within_the_statutory_limit_is_on_time(
    make_appeal, platform_staff, department, department_admin
):
    with time_machine.travel(at(2026, 9, 18, 9, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)
    with time_machine.travel(at(2026, 9, 21, 10, 0), tick=False):
        appeal = _respond(appeal, department_admin)
        assert not appeal.is_overdue()
    assignment = Assignment.objects.get(appeal=appeal)
    assert assignment.responded_on_time is True
    assert assignment.met_extended_due is None


def test_extension_days_are_bounded(make_appeal, platform_staff, department, department_admin):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    with pytest.raises(ValidationError) as info:
        services.appeal_extension_request(
            appeal=appeal, user=department_admin, working_days=30, reason="时间不够用"
        )
    assert "working_days" in info.value.message_dict


def _unsatisfied_round(appeal, staff, department, handler):
    appeal = _dispatch(appeal, staff, department)
    _respond(appeal, handler)
    services.appeal_followup(
        appeal=appeal, user=staff, satisfied=False, score=1, comment="问题没有解决"
    )
    appeal.refresh_from_db()
    return appeal


def test_unsatisfied_follow_up_goes_back_to_triage(
    make_appeal, platform_staff, department, department_admin
):
    appeal = _unsatisfied_round(make_appeal(), platform_staff, department, department_admin)
    assert appeal.stage == Stage.TRIAGED
    assert appeal.dispatch_due_at is not None
    assert not appeal.is_supervised


def test_second_dissatisfaction_with_the_same_department_is_not_yet_supervised(
    make_appeal, platform_staff, department, department_admin
):
    appeal = make_appeal()
    for _ in range(2):
        appeal = _unsatisfied_round(appeal, platform_staff, department, department_admin)
    assert appeal.dispatch_count == 2
    assert not appeal.is_supervised


def test_third_dissatisfaction_with_the_same_department_makes_it_supervised(
    make_appeal, platform_staff, department, department_admin
):
    appeal = make_appeal()
    for _ in range(3):
        appeal = _unsatisfied_round(appeal, platform_staff, department, department_admin)
    assert appeal.is_supervised
    assert appeal.events.filter(action="supervise").count() == 1


def test_dissatisfaction_spread_over_departments_is_not_supervised(
    make_appeal,
    platform_staff,
    department,
    department_admin,
    other_department,
    other_department_admin,
):
    appeal = make_appeal()
    appeal = _unsatisfied_round(appeal, platform_staff, department, department_admin)
    appeal = _unsatisfied_round(appeal, platform_staff, other_department, other_department_admin)
    appeal = _unsatisfied_round(appeal, platform_staff, department, department_admin)
    assert not appeal.is_supervised


def test_a_supervised_case_cannot_close_until_the_enterprise_is_satisfied(
    make_appeal, platform_staff, department, department_admin, enterprise_user
):
    appeal = make_appeal()
    for _ in range(3):
        appeal = _unsatisfied_round(appeal, platform_staff, department, department_admin)
    appeal = _dispatch(appeal, platform_staff, department)
    _respond(appeal, department_admin)
    services.appeal_followup(appeal=appeal, user=platform_staff, satisfied=True, score=4)
    # The enterprise disagrees online: back to triage, and close is refused.
    services.appeal_evaluate(
        appeal=appeal, user=enterprise_user, satisfied=False, score=2, comment="仍未拨付"
    )
    appeal.refresh_from_db()
    assert appeal.stage == Stage.TRIAGED
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_close(appeal=appeal, user=platform_staff)


def test_the_enterprise_may_evaluate_once_the_department_has_responded(
    make_appeal, platform_staff, department, department_admin, enterprise_user
):
    appeal = make_appeal()
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_evaluate(appeal=appeal, user=enterprise_user, satisfied=True, score=5)
    appeal = _dispatch(appeal, platform_staff, department)
    _respond(appeal, department_admin)
    services.appeal_evaluate(appeal=appeal, user=enterprise_user, satisfied=True, score=5)
    appeal.refresh_from_db()
    # The online rating adds to the platform's call, it does not replace it (art. 16).
    assert appeal.stage == Stage.RESPONDED
    with pytest.raises(services.TransitionNotAllowed):
        services.appeal_close(appeal=appeal, user=platform_staff)


def test_another_enterprise_cannot_evaluate(
    make_appeal, platform_staff, department, department_admin, other_enterprise_user
):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    _respond(appeal, department_admin)
    with pytest.raises(PermissionDenied):
        services.appeal_evaluate(appeal=appeal, user=other_enterprise_user, satisfied=True, score=5)


def test_score_must_be_1_to_5(make_appeal, platform_staff, department, department_admin):
    appeal = _dispatch(make_appeal(), platform_staff, department)
    _respond(appeal, department_admin)
    with pytest.raises(ValidationError):
        services.appeal_followup(appeal=appeal, user=platform_staff, satisfied=True, score=6)


def test_merge_keeps_both_histories(make_appeal, platform_staff):
    first = make_appeal()
    duplicate = make_appeal(title="奖补资金未到账（重复）")
    services.appeal_merge(duplicate=duplicate, into=first, user=platform_staff)
    duplicate.refresh_from_db()
    assert duplicate.stage == Stage.CLOSED
    assert duplicate.merged_into == first
    assert first.events.filter(action="merge").exists()
    assert duplicate.events.filter(action="merged").exists()


def test_internal_notes_are_not_public(make_appeal, platform_staff):
    appeal = make_appeal()
    event = services.appeal_note(appeal=appeal, user=platform_staff, note="疑似重复，核实中")
    assert not event.is_public


def test_overdue_marking_is_idempotent(make_appeal, platform_staff):
    with time_machine.travel(at(2026, 9, 18, 9, 0), tick=False):
        appeal = make_appeal()
    with time_machine.travel(at(2026, 9, 18, 18, 0), tick=False):
        assert tasks.deadline_sweep()["overdue"] == 1
        assert tasks.deadline_sweep()["overdue"] == 0
    appeal.refresh_from_db()
    assert appeal.was_overdue
    event = AppealEvent.objects.get(appeal=appeal, action="overdue")
    assert not event.is_public and event.actor_label == "系统"
    # The process writes it like any step: an audit record beside the history row.
    assert AuditEvent.objects.filter(action="appeals.overdue", object_id=str(appeal.pk)).exists()


def test_reminder_fires_once_before_the_deadline(
    make_appeal, platform_staff, department, department_admin
):
    with time_machine.travel(at(2026, 9, 18, 9, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)
    # Due 9月22日17:00; on the evening of 9月21日 it is within one working day.
    with time_machine.travel(at(2026, 9, 21, 18, 0), tick=False):
        assert tasks.deadline_sweep()["reminded"] == 1
        assert tasks.deadline_sweep()["reminded"] == 0
    assert Notification.objects.filter(user=department_admin, title="诉求待应答").count() == 1
    assert appeal.pk


def test_a_stale_copy_does_not_stop_the_department_adding_a_note(
    make_appeal, platform_staff, department, department_admin
):
    appeal = make_appeal()
    services.appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
    # `appeal` still says "no department": the check must use the locked row.
    event = services.appeal_note(appeal=appeal, user=department_admin, note="已约企业下周面谈")
    assert not event.is_public


def test_the_policy_agency_liaison_sees_all_appeals_and_another_agency_liaison_none(
    make_appeal, department
):
    from qifu.accounts.models import Department, DepartmentKind, Role
    from qifu.accounts.services import user_create
    from qifu.appeals.models import Appeal

    make_appeal()
    policy_liaison = user_create(
        username="gxll", password=None, department=department, roles=[Role.LIAISON]
    )
    commerce = Department.objects.create(
        code="swj-t",
        name="荣成市商务局（测试）",
        kind=DepartmentKind.AGENCY,
        sections=["investment"],
    )
    other_liaison = user_create(
        username="swll", password=None, department=commerce, roles=[Role.LIAISON]
    )
    assert Appeal.objects.for_user(policy_liaison).count() == 1
    assert Appeal.objects.for_user(other_liaison).count() == 0


def test_the_current_deadline_column_follows_every_transition(
    make_appeal, platform_staff, department, department_admin
):
    appeal = make_appeal()
    assert appeal.due_at == appeal.dispatch_due_at
    appeal = services.appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
    appeal.refresh_from_db()
    assert appeal.due_at == appeal.respond_due_at
    ext = services.appeal_extension_request(
        appeal=appeal, user=department_admin, working_days=2, reason="需协调供电公司"
    )
    services.appeal_extension_decide(extension=ext, user=platform_staff, approve=True)
    appeal.refresh_from_db()
    # The deadline the stage works to is the extended one; the statutory one stays recorded.
    assert appeal.due_at == appeal.extended_due_at
    assert appeal.extended_due_at > appeal.respond_due_at
    services.appeal_respond(
        appeal=appeal, user=department_admin, result="已协调供电公司完成增容。", contact=CONTACT
    )
    appeal.refresh_from_db()
    assert appeal.due_at == appeal.followup_due_at
    services.appeal_followup(appeal=appeal, user=platform_staff, satisfied=True, score=5)
    services.appeal_close(appeal=appeal, user=platform_staff)
    appeal.refresh_from_db()
    assert appeal.due_at is None
