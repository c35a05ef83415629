"""The review-before-publishing workflow (article 12), exercised through its first user, Notice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.content.models import Notice
from qifu.content.services import notice_update
from qifu.core.models import AuditEvent
from qifu.publishing import services
from qifu.publishing.models import PublicationStatus as S
from qifu.publishing.selectors import publication_history, revision_list
from qifu.publishing.services import (
    TransitionNotAllowed,
    publication_approve,
    publication_create,
    publication_expire_due,
    publication_publish,
    publication_publish_due,
    publication_return,
    publication_submit,
    publication_withdraw,
)
from qifu.publishing.tasks import expire_due, publish_due

SH = ZoneInfo("Asia/Shanghai")


def _approved(make_notice: Any, reviewer: Any, **fields: Any) -> Notice:
    notice = make_notice(**fields)
    notice = publication_submit(item=notice, actor=notice.created_by)
    return publication_approve(item=notice, actor=reviewer)


def _published(make_notice: Any, reviewer: Any, **fields: Any) -> Notice:
    notice = _approved(make_notice, reviewer, **fields)
    return publication_publish(item=notice, actor=notice.created_by)


@pytest.fixture
def second_agency_staff(agency: Any) -> Any:
    return user_create(
        username="pingtai2_t",
        password=None,
        roles=[Role.PLATFORM_STAFF],
        department=agency,
        real_name="赵审",
    )


def test_a_notice_goes_from_draft_through_review_to_the_public_site(
    make_notice: Any, department_admin: Any, platform_staff: Any
) -> None:
    notice = make_notice()
    assert notice.status == S.DRAFT
    assert notice.provider_department == department_admin.department
    assert notice.section == "services"
    assert not Notice.objects.published().exists()

    notice = publication_submit(item=notice, actor=department_admin)
    assert notice.status == S.SUBMITTED
    assert notice.submitted_at is not None

    notice = publication_approve(item=notice, actor=platform_staff)
    assert notice.status == S.APPROVED
    assert notice.reviewed_by == platform_staff
    assert notice.reviewed_at is not None
    assert not Notice.objects.published().exists()

    notice = publication_publish(item=notice, actor=department_admin)
    assert notice.status == S.PUBLISHED
    assert notice.published_at is not None
    assert list(Notice.objects.published()) == [notice]

    notice = publication_withdraw(item=notice, actor=department_admin)
    assert notice.status == S.WITHDRAWN
    assert notice.withdrawn_at is not None
    assert not Notice.objects.published().exists()

    notice.refresh_from_db()
    assert notice.status == S.WITHDRAWN
    actions = [e.action for e in publication_history(item=notice)]
    assert actions == ["create", "submit", "approve", "publish", "withdraw"]


def test_every_transition_is_audited_with_who_and_the_status_change(
    make_notice: Any, department_admin: Any, platform_staff: Any
) -> None:
    notice = _approved(make_notice, platform_staff)
    event = AuditEvent.objects.get(action="publishing.approve")
    assert event.actor == platform_staff
    assert event.object_type == "content.notice"
    assert event.object_id == str(notice.pk)
    assert event.data["from"] == S.SUBMITTED
    assert event.data["to"] == S.APPROVED
    assert event.data["revision"] == 1


def test_the_author_may_not_approve_their_own_notice(make_notice: Any, platform_staff: Any) -> None:
    notice = make_notice(author=platform_staff)
    notice = publication_submit(item=notice, actor=platform_staff)
    with pytest.raises(PermissionDenied, match="不能审核自己"):
        publication_approve(item=notice, actor=platform_staff)
    notice.refresh_from_db()
    assert notice.status == S.SUBMITTED


def test_whoever_saved_the_latest_version_may_not_approve_it(
    make_notice: Any, platform_staff: Any, second_agency_staff: Any
) -> None:
    notice = make_notice(author=platform_staff)
    notice = notice_update(notice=notice, actor=second_agency_staff, title="改过的标题")
    notice = publication_submit(item=notice, actor=platform_staff)
    with pytest.raises(PermissionDenied):
        publication_approve(item=notice, actor=second_agency_staff)
    with pytest.raises(PermissionDenied):
        publication_approve(item=notice, actor=platform_staff)


def test_a_colleague_of_the_author_in_the_section_agency_may_approve(
    make_notice: Any, platform_staff: Any, second_agency_staff: Any
) -> None:
    notice = make_notice(author=platform_staff)
    notice = publication_submit(item=notice, actor=platform_staff)
    notice = publication_approve(item=notice, actor=second_agency_staff)
    assert notice.reviewed_by == second_agency_staff


def test_a_reviewer_outside_the_section_is_refused(
    make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    # 工信局 administers 政策诉求, not 办事服务 where 工作动态 belongs.
    notice = make_notice(author=platform_staff)
    notice = publication_submit(item=notice, actor=platform_staff)
    with pytest.raises(PermissionDenied, match="办事服务"):
        publication_approve(item=notice, actor=department_admin)
    with pytest.raises(PermissionDenied):
        publication_return(item=notice, actor=department_admin, reason="不行")


def test_a_superuser_may_review_any_section(
    make_notice: Any, department_admin: Any, superuser: Any
) -> None:
    notice = make_notice()
    notice = publication_submit(item=notice, actor=department_admin)
    assert publication_approve(item=notice, actor=superuser).status == S.APPROVED


def test_returning_requires_a_reason(
    make_notice: Any, department_admin: Any, platform_staff: Any
) -> None:
    notice = publication_submit(item=make_notice(), actor=department_admin)
    with pytest.raises(ValidationError) as excinfo:
        publication_return(item=notice, actor=platform_staff, reason="  ")
    assert excinfo.value.message_dict == {"reason": ["请填写退回原因。"]}
    notice.refresh_from_db()
    assert notice.status == S.SUBMITTED


def test_a_returned_notice_keeps_the_reason_and_can_be_resubmitted(
    make_notice: Any, department_admin: Any, platform_staff: Any
) -> None:
    notice = publication_submit(item=make_notice(), actor=department_admin)
    notice = publication_return(item=notice, actor=platform_staff, reason="请补充活动时间")
    assert notice.status == S.RETURNED
    assert notice.review_comment == "请补充活动时间"
    assert publication_history(item=notice)[-1].comment == "请补充活动时间"

    notice = notice_update(notice=notice, actor=department_admin, body="活动时间：12月1日。")
    assert notice.status == S.RETURNED
    notice = publication_submit(item=notice, actor=department_admin)
    assert notice.status == S.SUBMITTED
    assert notice.reviewed_by is None


def test_editing_an_approved_notice_sends_it_back_to_review(
    make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = _approved(make_notice, platform_staff)
    notice = notice_update(notice=notice, actor=department_admin, title="新标题")
    assert notice.status == S.SUBMITTED
    assert notice.reviewed_by is None
    assert notice.revision == 2


def test_editing_a_published_notice_takes_it_off_the_site_until_approved_again(
    make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = _published(make_notice, platform_staff)
    assert notice.is_public

    notice = notice_update(notice=notice, actor=department_admin, body="改动后的正文")
    assert notice.status == S.SUBMITTED
    assert not Notice.objects.published().exists()
    assert [e.action for e in publication_history(item=notice)][-2:] == ["update", "edit"]

    notice = publication_approve(item=notice, actor=platform_staff)
    notice = publication_publish(item=notice, actor=department_admin)
    assert Notice.objects.published().get().body == "改动后的正文"


def test_changing_only_the_expiry_of_a_published_notice_keeps_it_public(
    make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    notice = _published(make_notice, platform_staff)
    notice = notice_update(notice=notice, actor=department_admin, expires_on=date(2099, 1, 1))
    assert notice.status == S.PUBLISHED
    assert notice.revision == 2
    assert Notice.objects.published().exists()


def test_saving_without_changes_writes_no_revision(make_notice: Any, department_admin: Any) -> None:
    notice = make_notice()
    notice = notice_update(notice=notice, actor=department_admin, title=notice.title)
    assert notice.revision == 1
    assert revision_list(item=notice).count() == 1


def test_every_saved_change_is_a_new_revision_with_a_snapshot(
    make_notice: Any, department_admin: Any
) -> None:
    notice = make_notice(title="初稿")
    notice = notice_update(notice=notice, actor=department_admin, title="二稿")
    revisions = list(revision_list(item=notice))
    assert [(r.version, r.snapshot["title"]) for r in revisions] == [(2, "二稿"), (1, "初稿")]
    assert revisions[0].author == department_admin
    assert revisions[0].status == S.DRAFT


def test_approving_a_version_the_reviewer_did_not_see_is_refused(
    make_notice: Any, department_admin: Any, platform_staff: Any
) -> None:
    notice = publication_submit(item=make_notice(), actor=department_admin)
    seen = notice.revision
    notice_update(notice=notice, actor=department_admin, body="审核期间又改了")
    with pytest.raises(TransitionNotAllowed, match="已被修改"):
        publication_approve(item=notice, actor=platform_staff, expected_revision=seen)


def test_illegal_transitions_raise_transition_not_allowed(
    make_notice: Any, department_admin: Any, platform_staff: Any
) -> None:
    notice = make_notice()
    with pytest.raises(TransitionNotAllowed, match="草稿"):
        publication_publish(item=notice, actor=department_admin)
    with pytest.raises(TransitionNotAllowed):
        publication_approve(item=notice, actor=platform_staff)
    with pytest.raises(TransitionNotAllowed):
        publication_withdraw(item=notice, actor=department_admin)
    notice = publication_submit(item=notice, actor=department_admin)
    with pytest.raises(TransitionNotAllowed):
        publication_submit(item=notice, actor=department_admin)
    assert not AuditEvent.objects.filter(action="publishing.publish").exists()


def test_only_the_provider_department_submits_and_edits(
    make_notice: Any, other_department_admin: Any
) -> None:
    notice = make_notice()
    with pytest.raises(PermissionDenied):
        publication_submit(item=notice, actor=other_department_admin)
    with pytest.raises(PermissionDenied):
        notice_update(notice=notice, actor=other_department_admin, title="别人的")


def test_an_enterprise_user_cannot_write_published_content(enterprise_user: Any) -> None:
    with pytest.raises(PermissionDenied):
        publication_create(
            item=Notice(kind="news", title="企业自己发", body="正文"), author=enterprise_user
        )


def test_publishing_with_a_future_publish_at_schedules_it_instead(
    make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False):
        notice = _approved(
            make_notice, platform_staff, publish_at=datetime(2026, 12, 1, 9, 0, tzinfo=SH)
        )
        notice = publication_publish(item=notice, actor=department_admin)
        assert notice.status == S.APPROVED
        assert notice.is_scheduled
        assert publication_history(item=notice)[-1].action == "schedule"
        assert not Notice.objects.published().exists()


def test_the_periodic_job_publishes_scheduled_notices_when_their_time_comes(
    make_notice: Any, platform_staff: Any
) -> None:
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False) as traveller:
        notice = _approved(
            make_notice, platform_staff, publish_at=datetime(2026, 12, 1, 9, 0, tzinfo=SH)
        )
        unscheduled = _approved(make_notice, platform_staff, title="没有定时的")
        assert publish_due() == 0

        traveller.move_to(datetime(2026, 12, 1, 9, 1, tzinfo=SH))
        assert publish_due() == 1
        assert publish_due() == 0  # a second run claims nothing

    notice.refresh_from_db()
    unscheduled.refresh_from_db()
    assert notice.status == S.PUBLISHED
    assert notice.published_at == datetime(2026, 12, 1, 9, 1, tzinfo=SH)
    assert unscheduled.status == S.APPROVED
    event = AuditEvent.objects.get(action="publishing.publish")
    assert event.actor is None
    assert event.actor_username == "系统"


def test_a_withdrawn_scheduled_notice_is_not_published_by_the_job(
    make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False) as traveller:
        notice = _approved(
            make_notice, platform_staff, publish_at=datetime(2026, 12, 1, 9, 0, tzinfo=SH)
        )
        publication_withdraw(item=notice, actor=department_admin)
        traveller.move_to(datetime(2026, 12, 2, 9, 0, tzinfo=SH))
        assert publication_publish_due() == 0


def test_notices_past_their_last_day_leave_the_site_and_are_marked_expired(
    make_notice: Any, platform_staff: Any
) -> None:
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False) as traveller:
        notice = _published(make_notice, platform_staff, expires_on=date(2026, 12, 31))
        lasting = _published(make_notice, platform_staff, title="长期有效")
        assert publication_expire_due() == 0

        traveller.move_to(datetime(2026, 12, 31, 23, 0, tzinfo=SH))
        assert Notice.objects.published().count() == 2  # the last day still counts
        assert expire_due() == 0

        traveller.move_to(datetime(2027, 1, 1, 0, 5, tzinfo=SH))
        # Off the public site at once, even before the job runs.
        assert list(Notice.objects.published()) == [lasting]
        assert expire_due() == 1
        assert expire_due() == 0

    notice.refresh_from_db()
    assert notice.status == S.EXPIRED
    assert publication_history(item=notice)[-1].action == "expire"


def test_an_expired_notice_may_be_renewed_and_resubmitted(
    make_notice: Any, platform_staff: Any, department_admin: Any
) -> None:
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=SH), tick=False) as traveller:
        notice = _published(make_notice, platform_staff, expires_on=date(2026, 12, 1))
        traveller.move_to(datetime(2026, 12, 5, 10, 0, tzinfo=SH))
        publication_expire_due()
        notice = notice_update(notice=notice, actor=department_admin, expires_on=date(2027, 6, 1))
        notice = publication_submit(item=notice, actor=department_admin)
        assert notice.status == S.SUBMITTED


def test_the_after_publish_hooks_run_only_after_commit(
    make_notice: Any,
    platform_staff: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    calls: list[int] = []
    monkeypatch.setattr(services, "after_publish_hooks", [lambda item: calls.append(item.pk)])
    notice = _approved(make_notice, platform_staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publication_publish(item=notice, actor=platform_staff)
        assert calls == []
    assert len(callbacks) == 1
    assert calls == [notice.pk]


def test_the_periodic_jobs_are_registered_with_the_scheduler() -> None:
    from qifu.notifications.schedules import registered_schedules

    jobs = {job.name: job.func for job in registered_schedules()}
    assert jobs["publishing.publish_due"] == "qifu.publishing.tasks.publish_due"
    assert jobs["publishing.expire_due"] == "qifu.publishing.tasks.expire_due"


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_publish_job_at_once_publish_each_notice_once(
    make_notice: Any, platform_staff: Any
) -> None:
    import threading

    from django.db import connection

    notice = _approved(
        make_notice, platform_staff, publish_at=datetime(2026, 1, 1, 9, 0, tzinfo=SH)
    )
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        barrier.wait()
        try:
            counts.append(publication_publish_due())
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [0, 1]
    notice.refresh_from_db()
    assert notice.status == S.PUBLISHED
    assert AuditEvent.objects.filter(action="publishing.publish").count() == 1
