"""The appeal pages as platform staff use them: record, triage, dispatch, merge, follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from qifu.appeals import services
from qifu.appeals.models import (
    Appeal,
    ExtensionStatus,
    Stage,
)
from qifu.appeals.tests.pages import (
    SH,
    act,
    dispatched,
    messages_of,
    new_form_data,
    responded,
)

# --- platform staff ----------------------------------------------------------------------------


def test_staff_record_a_phone_appeal_for_an_enterprise_found_by_credit_code(
    client_for: Any, platform_staff: Any, enterprise: Any, category: Any, enterprise_user: Any
) -> None:
    received = dt.datetime(2026, 11, 20, 9, 30, tzinfo=SH)
    response = client_for(platform_staff).post(
        reverse("appeals:record"),
        {
            **new_form_data(category),
            "enterprise": enterprise.credit_code.lower(),
            "channel": "phone",
            "received_at": "2026-11-20T09:30",
        },
    )
    appeal = Appeal.objects.get()
    assert response.status_code == 302
    assert (appeal.enterprise, appeal.channel, appeal.received_at) == (
        enterprise,
        "phone",
        received,
    )
    assert appeal.events.get().action == "record"
    mine = client_for(enterprise_user).get(reverse("appeals:mine"))
    assert [a.pk for a in mine.context["rows"]] == [appeal.pk]


def test_recording_for_an_unknown_enterprise_or_a_future_time_is_refused(
    client_for: Any, platform_staff: Any, enterprise: Any, category: Any
) -> None:
    response = client_for(platform_staff).post(
        reverse("appeals:record"),
        {
            **new_form_data(category),
            "enterprise": "不存在的公司",
            "channel": "phone",
            "received_at": "2099-01-01T09:00",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "未找到该企业" in errors["enterprise"][0]
    assert "不能晚于当前时间" in errors["received_at"][0]


def test_the_enterprise_search_offers_matching_enterprises(
    client_for: Any, platform_staff: Any, enterprise: Any, other_enterprise: Any
) -> None:
    response = client_for(platform_staff).get(
        reverse("appeals:enterprise_options"), {"enterprise": "海润"}
    )
    html = response.content.decode()
    assert enterprise.credit_code in html and other_enterprise.name not in html


def test_staff_triage_proposes_the_category_department_and_dispatch_sends_it(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department: Any,
) -> None:
    appeal = make_appeal()
    client = client_for(platform_staff)
    page = client.get(reverse("appeals:detail", args=[appeal.pk]))
    assert "类别默认承办部门" in page.content.decode()
    assert page.context["actions"]["dispatch"].initial["department"] == department.pk
    response = act(
        client,
        appeal,
        "dispatch",
        {
            "dispatch-category": appeal.category_id,
            "dispatch-conclusion": "属工信局技改奖补职责",
            "dispatch-department": department.pk,
            "dispatch-note": "请3日内答复",
            "dispatch-co_departments": [other_department.pk],
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.department) == (Stage.DISPATCHED, department)
    assert list(appeal.assignments.get().co_departments.all()) == [other_department]
    # One form, both stages on the record: who judged and what, then the dispatch.
    triage, dispatch = appeal.events.filter(action__in=["triage", "dispatch"]).order_by("id")
    assert (triage.action, triage.to_state, dispatch.action) == ("triage", "triaged", "dispatch")
    assert triage.actor == platform_staff and triage.data["conclusion"] == "属工信局技改奖补职责"


def test_a_second_dispatch_of_the_same_appeal_shows_a_conflict_not_a_crash(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    other_department: Any,
) -> None:
    appeal = make_appeal()
    client = client_for(platform_staff)
    act(
        client,
        appeal,
        "dispatch",
        {"dispatch-category": appeal.category_id, "dispatch-department": department.pk},
    )
    response = act(
        client,
        appeal,
        "dispatch",
        {"dispatch-category": appeal.category_id, "dispatch-department": other_department.pk},
    )
    assert response.status_code == 302
    assert any("可能已被他人处理" in m for m in messages_of(response))
    appeal.refresh_from_db()
    assert (appeal.department, appeal.dispatch_count) == (department, 1)
    followed = client.get(response["Location"]).content.decode()
    assert "可能已被他人处理" in followed


def test_staff_save_a_triage(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    other_category: Any,
    other_department: Any,
) -> None:
    appeal = make_appeal()
    act(
        client_for(platform_staff),
        appeal,
        "triage",
        {
            "triage-category": other_category.pk,
            "triage-department": other_department.pk,
        },
    )
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.category, appeal.department) == (
        Stage.TRIAGED,
        other_category,
        other_department,
    )


def test_staff_merge_a_duplicate_into_the_open_appeal_it_repeats(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    first = make_appeal()
    duplicate = make_appeal(title="技改设备奖补资金迟迟未到账，请再次协调")
    client = client_for(platform_staff)
    page = client.get(reverse("appeals:detail", args=[duplicate.pk]))
    assert [d.appeal.pk for d in page.context["duplicates"]] == [first.pk]
    response = act(client, duplicate, "merge", {"merge-into": first.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.stage, duplicate.merged_into) == (Stage.CLOSED, first)
    assert first.events.filter(action="merge").exists()


def test_staff_follow_up_and_then_close(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    client = client_for(platform_staff)
    act(
        client,
        appeal,
        "followup",
        {
            "followup-way": "phone",
            "followup-person": "张经理",
            "followup-level": "satisfied",
            "followup-score": "5",
            "followup-comment": "企业表示满意",
        },
    )
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.FOLLOWED_UP
    act(client, appeal, "close", {"close-note": "办结"})
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.CLOSED


def test_an_unsatisfied_follow_up_sends_the_appeal_back_to_triage(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = responded(make_appeal(), platform_staff, department_admin)
    act(
        client_for(platform_staff),
        appeal,
        "followup",
        {
            "followup-way": "phone",
            "followup-person": "张经理",
            "followup-level": "unsatisfied",
            "followup-score": "1",
            "followup-close": "on",
        },
    )
    assert Appeal.objects.get(pk=appeal.pk).stage == Stage.TRIAGED


def test_staff_supervise_an_appeal_by_hand(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    appeal = make_appeal()
    act(client_for(platform_staff), appeal, "supervise", {"supervise-note": "领导批示督办"})
    assert Appeal.objects.get(pk=appeal.pk).is_supervised


def test_staff_approve_a_pending_extension(
    client_for: Any, make_appeal: Any, platform_staff: Any, department_admin: Any
) -> None:
    appeal = dispatched(make_appeal(), platform_staff, department_admin.department)
    extension = services.appeal_extension_request(
        appeal=appeal, user=department_admin, working_days=2, reason="需要现场勘验"
    )
    client = client_for(platform_staff)
    assert client.get(reverse("appeals:detail", args=[appeal.pk])).context["decisions"]
    prefix = f"decide-{extension.pk}"
    response = act(
        client,
        appeal,
        "decide",
        {
            "extension_id": extension.pk,
            f"{prefix}-extension": extension.pk,
            f"{prefix}-approve": "1",
            f"{prefix}-note": "同意",
        },
    )
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == ExtensionStatus.APPROVED
    refreshed = Appeal.objects.get(pk=appeal.pk)
    assert refreshed.extended_due_at == extension.new_due_at
    assert refreshed.respond_due_at < extension.new_due_at
