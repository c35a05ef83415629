from __future__ import annotations

import datetime as dt
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from qifu.appeals.models import Appeal, AppealAction, AppealEvent
from qifu.appeals.workflow import PROCESS
from qifu.notifications.models import Notification, OutboxMessage
from qifu.supervision import selectors, services
from qifu.supervision.selectors import escalated_cases

pytestmark = pytest.mark.django_db


def test_board_holds_supervised_and_long_overdue_only(
    overdue_round: Any, supervised_case: Any, make_appeal: Any
) -> None:
    late = overdue_round()
    sup = supervised_case()
    fresh = make_appeal()
    ids = set(selectors.board().values_list("pk", flat=True))
    assert {late.pk, sup.pk} <= ids
    assert fresh.pk not in ids
    # One working day late is not yet "long overdue" (threshold 2 working days).
    assert overdue_round(days=0).pk not in set(selectors.board().values_list("pk", flat=True))


def test_ladder_urge_then_escalate_recorded_and_leader_notified(
    overdue_round: Any, supervisor: Any, department_admin: Any, handler: Any
) -> None:
    appeal = overdue_round()
    department_admin.phone = "13900000099"
    department_admin.save(update_fields=["phone"])
    row = selectors.board().get(pk=appeal.pk)
    assert (row.level, row.next_step) == (0, "urge")
    # 列入通报 before any 催办 is refused.
    with pytest.raises(Exception, match="请先催办"):
        services.supervision_escalate(appeal=appeal, user=supervisor)

    services.supervision_urge(appeal=appeal, user=supervisor, note="请今天内答复。", seen=0)
    event = AppealEvent.objects.get(appeal=appeal, action=AppealAction.URGE)
    assert event.actor == supervisor and event.note == "请今天内答复。"
    assert event.department_id == appeal.department_id
    leader_msgs = Notification.objects.filter(user=department_admin, title="督办催办")
    assert leader_msgs.count() == 1
    assert Notification.objects.filter(user=handler, title="督办催办").exists()
    assert OutboxMessage.objects.filter(user=department_admin, channel="sms").exists()
    # The same click again (the page still showed 0 催办) does not press twice.
    with pytest.raises(Exception, match="刚刚已被催办"):
        services.supervision_urge(appeal=appeal, user=supervisor, seen=0)
    assert AppealEvent.objects.filter(appeal=appeal, action=AppealAction.URGE).count() == 1

    row = selectors.board().get(pk=appeal.pk)
    assert (row.level, row.next_step) == (1, "")
    services.supervision_escalate(appeal=appeal, user=supervisor)
    listed = AppealEvent.objects.get(appeal=appeal, action=AppealAction.ESCALATE)
    assert not listed.is_public
    assert Notification.objects.filter(user=department_admin, title="督办件列入通报").exists()
    assert selectors.board().get(pk=appeal.pk).level == 2
    with pytest.raises(Exception, match="请先催办"):
        services.supervision_escalate(appeal=appeal, user=supervisor)

    now = timezone.now()
    cases = escalated_cases(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
    assert [c.number for c in cases] == [appeal.number]
    assert cases[0].department == appeal.department
    assert escalated_cases(now + dt.timedelta(days=1), now + dt.timedelta(days=2)) == []


def test_sweep_climbs_the_ladder_once_per_threshold(
    overdue_round: Any, department_admin: Any
) -> None:
    appeal = overdue_round()
    assert services.supervision_sweep() == {"urged": 1, "escalated": 0}
    assert services.supervision_sweep() == {"urged": 0, "escalated": 0}
    first = AppealEvent.objects.get(appeal=appeal, action=AppealAction.URGE)
    assert first.actor is None and first.actor_label == "系统"
    # Ten days later, still not answered: listed for the 通报, once.
    Appeal.objects.filter(pk=appeal.pk).update(urged_at=timezone.now() - dt.timedelta(days=10))
    assert services.supervision_sweep() == {"urged": 0, "escalated": 1}
    assert services.supervision_sweep() == {"urged": 0, "escalated": 0}
    assert Notification.objects.filter(user=department_admin, title="督办件列入通报").count() == 1


def test_supervised_case_waits_for_the_urge_threshold(supervised_case: Any) -> None:
    recent = supervised_case(days_ago=0)
    old = supervised_case(days_ago=6)
    steps = dict(selectors.board().values_list("pk", "next_step"))
    assert steps[recent.pk] == ""
    assert steps[old.pk] == "urge"


def test_actions_are_in_the_process_table() -> None:
    assert PROCESS.actions[AppealAction.URGE].label == "催办"
    assert PROCESS.actions[AppealAction.ESCALATE].label == "列入通报"


def test_board_page_permissions(
    client_for: Any,
    overdue_round: Any,
    supervisor: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    appeal = overdue_round()
    url = reverse("supervision:board")
    for user in (supervisor, platform_staff):
        response = client_for(user).get(url)
        assert response.status_code == 200
        assert appeal.number in response.content.decode()
    for user in (department_admin, enterprise_user):
        assert client_for(user).get(url).status_code == 403
        step = reverse("supervision:step", args=[appeal.pk, "urge"])
        assert client_for(user).post(step, {"seen": 0}).status_code == 403
    assert not AppealEvent.objects.filter(action=AppealAction.URGE).exists()


def test_board_step_from_page_and_bad_input(
    client_for: Any, overdue_round: Any, supervisor: Any
) -> None:
    appeal = overdue_round()
    client = client_for(supervisor)
    step = reverse("supervision:step", args=[appeal.pk, "urge"])
    response = client.post(step, {"seen": 0, "note": "x" * 600}, follow=True)
    assert "说明不能超过500字" in response.content.decode()
    response = client.post(step, {"seen": 0, "note": "请尽快\x00办理"}, follow=True)
    assert response.status_code == 200
    assert "说明中含有无效字符" in response.content.decode()
    assert not AppealEvent.objects.filter(action=AppealAction.URGE).exists()
    response = client.post(step, {"seen": 0, "note": "请尽快办理"}, follow=True)
    assert "已催办" in response.content.decode()
    assert AppealEvent.objects.get(action=AppealAction.URGE).note == "请尽快办理"
    assert client.post(reverse("supervision:step", args=[appeal.pk, "nope"])).status_code == 404
    assert client.post(reverse("supervision:step", args=[999999, "urge"])).status_code == 404
    page = client.get(reverse("supervision:board"), {"due": "on", "q": "x" * 300, "level": "9"})
    assert page.status_code == 200
    assert client.get(reverse("supervision:board"), {"q": "\x00"}).status_code == 400


def test_board_filters_pagination_and_bounded_queries(
    client_for: Any,
    overdue_round: Any,
    supervised_case: Any,
    supervisor: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(23):
        overdue_round()
    sup = supervised_case()
    client = client_for(supervisor)
    url = reverse("supervision:board")
    client.get(url)
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    assert "第 1 / 2 页" in response.content.decode()
    only = client.get(url, {"kind": "supervised"}).content.decode()
    assert sup.number in only and "长期超期派单</span>" not in only


def test_board_export(client_for: Any, overdue_round: Any, supervisor: Any) -> None:
    appeal = overdue_round()
    response = client_for(supervisor).get(reverse("supervision:board"), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "诉求编号"
    assert rows[1][0] == appeal.number


def test_supervisor_workbench_panel(
    client_for: Any, overdue_round: Any, supervisor: Any, platform_staff: Any
) -> None:
    overdue_round()
    from qifu.supervision.panels import supervision_panel

    panels = supervision_panel(supervisor)
    assert panels and panels[0].counters[0].value == 1
    assert supervision_panel(platform_staff) == []


def test_board_department_and_level_filters(
    client_for: Any,
    overdue_round: Any,
    supervisor: Any,
    make_appeal: Any,
    platform_staff: Any,
    other_department: Any,
) -> None:
    from qifu.appeals.services import appeal_dispatch

    ours = overdue_round()
    theirs = make_appeal(title="另一部门的超期派单")
    appeal_dispatch(appeal=theirs, user=platform_staff, department=other_department)
    past = timezone.now() - dt.timedelta(days=10)
    Appeal.objects.filter(pk=theirs.pk).update(
        respond_due_at=past, due_at=past, dispatched_at=past - dt.timedelta(days=4)
    )
    services.supervision_urge(appeal=ours, user=supervisor)
    client = client_for(supervisor)
    url = reverse("supervision:board")
    page = client.get(url, {"department": other_department.pk}).content.decode()
    assert theirs.number in page and ours.number not in page
    page = client.get(url, {"level": "1"}).content.decode()
    assert ours.number in page and theirs.number not in page
    page = client.get(url, {"due": "on"}).content.decode()
    assert theirs.number in page and ours.number not in page


def test_board_sorts(client_for: Any, overdue_round: Any, supervisor: Any) -> None:
    older = overdue_round(days=20)
    newer = overdue_round(days=5)
    client = client_for(supervisor)
    for sort in ("due", "supervised", "department", "nope"):
        page = client.get(reverse("supervision:board"), {"sort": sort}).content.decode()
        assert older.number in page and newer.number in page
    page = client.get(reverse("supervision:board"), {"sort": "due"}).content.decode()
    assert page.index(older.number) < page.index(newer.number)
