"""Open appeal deadlines follow a 2027 holiday table when it is imported (issue 10)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from qifu.appeals import services
from qifu.appeals.models import AppealEvent, Assignment, Extension, Stage
from qifu.notifications.models import Notification
from qifu.workdays.recompute import deadlines_recompute

SH = ZoneInfo("Asia/Shanghai")


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


def _dispatch(appeal, staff, department):
    return services.appeal_dispatch(appeal=appeal, user=staff, department=department, note="请办理")


def test_a_deadline_into_2027_counts_the_statutory_holidays_and_says_it_is_provisional(
    make_appeal, platform_staff, department, client_for
):
    with time_machine.travel(at(2026, 12, 31, 10, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)

    # 元旦 (Fri 1 Jan) is off, then the weekend: 4, 5, 6 January.
    assert appeal.respond_due_at == at(2027, 1, 6, 17, 0)
    assert "暂定" in appeal.calendar_warning
    assert "2027年的国务院放假安排尚未导入" in appeal.calendar_warning
    # Beside the deadline on the staff list and on the detail: the 暂定 mark.
    with time_machine.travel(at(2026, 12, 31, 11, 0), tick=False):
        listing = client_for(platform_staff).get(reverse("appeals:manage")).content.decode()
        detail = client_for(platform_staff).get(reverse("appeals:detail", args=[appeal.pk]))
    assert "qifu-provisional" in listing
    assert "qifu-provisional" in detail.content.decode()


def test_importing_2027_moves_the_respond_deadline_and_says_so_on_the_timeline(
    make_appeal,
    platform_staff,
    department,
    department_admin,
    enterprise_user,
    client_for,
    import_holidays_2027,
):
    with time_machine.travel(at(2027, 2, 4, 10, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)
    # Estimated 春节: 5–10 February off, so 11, 12 and 15 February.
    assert appeal.respond_due_at == at(2027, 2, 15, 17, 0)
    assert appeal.calendar_warning

    with time_machine.travel(at(2027, 2, 4, 11, 0), tick=False):
        result = import_holidays_2027()
    assert result.changed_years == [2027]

    appeal.refresh_from_db()
    # The table has 5–11 February off: 12, 15 and 16 February.
    assert appeal.respond_due_at == at(2027, 2, 16, 17, 0)
    assert appeal.due_at == appeal.respond_due_at
    assert appeal.calendar_warning == ""
    assert Assignment.objects.get(appeal=appeal).respond_due_at == at(2027, 2, 16, 17, 0)
    event = AppealEvent.objects.get(appeal=appeal, action="deadline_changed")
    assert event.is_public
    assert (
        event.note == "2027年节假日安排更新，应答期限由 2027-02-15 17:00 调整为 2027-02-16 17:00。"
    )
    assert event.data["old"] == at(2027, 2, 15, 17, 0).isoformat()
    assert Notification.objects.filter(user=department_admin, title="诉求期限调整").exists()
    # The enterprise sees it on its timeline, with the label of the action.
    page = client_for(enterprise_user).get(f"/appeals/{appeal.pk}/").content.decode()
    assert "期限调整" in page and "调整为 2027-02-16 17:00" in page

    # A second run (the worker retrying, or the command by hand) changes nothing.
    assert deadlines_recompute(years=[2027])["appeals"] == 0
    assert AppealEvent.objects.filter(action="deadline_changed").count() == 1


def test_dispatch_and_follow_up_deadlines_and_approved_extensions_are_recomputed(
    make_appeal, platform_staff, department, department_admin, import_holidays_2027
):
    with time_machine.travel(at(2027, 2, 4, 18, 0), tick=False):
        waiting = make_appeal()  # after 17:00: the next working day
        responded = _dispatch(make_appeal(), platform_staff, department)
        services.appeal_respond(
            appeal=responded,
            user=department_admin,
            result="已与企业联系，资金已于本周拨付到账。",
            contact={"way": "phone", "person": "张经理", "content": "电话了解情况"},
        )
        extended = _dispatch(make_appeal(), platform_staff, department)
        extension = services.appeal_extension_request(
            appeal=extended, user=department_admin, working_days=2, reason="需现场勘查核实"
        )
        services.appeal_extension_decide(extension=extension, user=platform_staff, approve=True)
    waiting.refresh_from_db()
    responded.refresh_from_db()
    extended.refresh_from_db()
    assert waiting.dispatch_due_at == at(2027, 2, 11, 17, 0)
    assert responded.followup_due_at == at(2027, 2, 12, 17, 0)
    # 3 working days (11, 12, 15 Feb) stay the statutory limit; the extension adds 2 more
    # from it (16, 17 Feb) beside it.
    assert extended.respond_due_at == at(2027, 2, 15, 17, 0)
    assert extended.extended_due_at == at(2027, 2, 17, 17, 0)

    with time_machine.travel(at(2027, 2, 5, 9, 0), tick=False):
        import_holidays_2027()

    for appeal in (waiting, responded, extended):
        appeal.refresh_from_db()
    assert waiting.dispatch_due_at == at(2027, 2, 12, 17, 0)
    assert responded.followup_due_at == at(2027, 2, 15, 17, 0)
    assert extended.respond_due_at == at(2027, 2, 16, 17, 0)
    assert extended.extended_due_at == at(2027, 2, 18, 17, 0)
    assert extended.assignments.get().respond_due_at == at(2027, 2, 16, 17, 0)
    assert extended.assignments.get().extended_due_at == at(2027, 2, 18, 17, 0)
    assert Extension.objects.get(pk=extension.pk).new_due_at == at(2027, 2, 18, 17, 0)
    notes = dict(
        AppealEvent.objects.filter(action="deadline_changed").values_list("appeal_id", "note")
    )
    assert "派发期限" in notes[waiting.pk]
    assert "回访期限" in notes[responded.pk]
    assert "应答期限" in notes[extended.pk]


def test_appeals_whose_deadline_does_not_change_get_no_event(
    make_appeal, platform_staff, department, import_holidays_2027
):
    with time_machine.travel(at(2027, 3, 1, 10, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)
        closed = make_appeal()
        closed.stage = Stage.CLOSED
        closed.save()
    warning = appeal.calendar_warning
    assert warning

    import_holidays_2027()

    appeal.refresh_from_db()
    assert appeal.respond_due_at == at(2027, 3, 4, 17, 0)
    assert appeal.calendar_warning == ""  # the year is imported: no longer provisional
    assert not AppealEvent.objects.filter(action="deadline_changed").exists()


def test_the_import_command_recomputes_and_reports_per_source(
    make_appeal, platform_staff, department, tmp_path
):
    from io import StringIO

    from django.core.management import call_command

    from conftest import HOLIDAYS_2027

    with time_machine.travel(at(2027, 2, 4, 10, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)
    path = tmp_path / "2027.csv"
    path.write_text(
        "date,is_workday,name\n"
        + "".join(f"{on},{1 if work else 0},{name}\n" for on, work, name in HOLIDAYS_2027),
        encoding="utf-8",
    )
    out = StringIO()

    call_command("import_holidays", str(path), stdout=out)

    appeal.refresh_from_db()
    assert appeal.respond_due_at == at(2027, 2, 16, 17, 0)
    assert "已按2027年节假日重新计算期限：" in out.getvalue()
    assert "企业诉求 1 件" in out.getvalue()
    again = StringIO()
    call_command("recompute_deadlines", "2027", stdout=again)
    assert "企业诉求 0 件" in again.getvalue()


def test_an_edit_in_the_django_admin_recomputes_after_it_commits(
    make_appeal,
    platform_staff,
    department,
    superuser,
    client_for,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(at(2027, 3, 1, 10, 0), tick=False):
        appeal = _dispatch(make_appeal(), platform_staff, department)
    assert appeal.respond_due_at == at(2027, 3, 4, 17, 0)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(superuser).post(
            "/admin/workdays/holiday/add/",
            {"on": "2027-03-02", "is_workday": "", "name": "台风停工", "note": ""},
        )

    assert response.status_code == 302
    appeal.refresh_from_db()
    # 2027 now has an administrator's table (only this day off): 3, 4, 5 March.
    assert appeal.respond_due_at == at(2027, 3, 5, 17, 0)
    assert appeal.events.filter(action="deadline_changed").count() == 1
