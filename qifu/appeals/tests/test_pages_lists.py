"""The appeal lists (filters, marks, counts, export, query counts), the workbench and the admin."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from qifu.appeals.models import (
    Appeal,
)
from qifu.appeals.tests.pages import (
    SH,
    act,
    dispatched,
    messages_of,
    responded,
)
from qifu.core.models import AuditEvent

# --- lists: filters, marks, counts, export, query counts ---------------------------------------


def test_the_staff_list_filters_by_stage_and_text_and_counts_per_stage(
    client_for: Any, make_appeal: Any, platform_staff: Any, department: Any
) -> None:
    dispatched(make_appeal(title="道路破损"), platform_staff, department)
    make_appeal(title="用电报装")
    client = client_for(platform_staff)
    response = client.get(reverse("appeals:manage"), {"stage": "received"})
    assert [a.title for a in response.context["rows"]] == ["用电报装"]
    assert response.context["counts"]["received"] == 1
    assert response.context["counts"]["dispatched"] == 1
    response = client.get(reverse("appeals:manage"), {"q": "道路"})
    assert [a.title for a in response.context["rows"]] == ["道路破损"]
    response = client.get(reverse("appeals:manage"), {"department": department.code})
    assert [a.title for a in response.context["rows"]] == ["道路破损"]


def test_the_staff_list_marks_due_soon_yellow_and_overdue_red(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    # Tuesday 24 November 2026, a working day: filed at 10:00, due for dispatch at 17:00.
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SH), tick=False):
        make_appeal()
        response = client_for(platform_staff).get(reverse("appeals:manage"))
        assert response.context["rows"][0].mark == "soon"
        assert "即将到期" in response.content.decode()
    with time_machine.travel(dt.datetime(2026, 11, 24, 18, 0, tzinfo=SH), tick=False):
        response = client_for(platform_staff).get(reverse("appeals:manage"))
        assert response.context["rows"][0].mark == "overdue"
        overdue = client_for(platform_staff).get(reverse("appeals:manage"), {"overdue": "1"})
        assert len(overdue.context["rows"]) == 1


def test_the_staff_list_sorts_by_the_soonest_deadline_first(
    client_for: Any, make_appeal: Any, platform_staff: Any, department: Any
) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH), tick=False):
        later = dispatched(make_appeal(title="三天后应答"), platform_staff, department)
    with time_machine.travel(dt.datetime(2026, 11, 24, 10, 0, tzinfo=SH), tick=False):
        sooner = make_appeal(title="今日派发")
        response = client_for(platform_staff).get(reverse("appeals:manage"))
    assert [a.pk for a in response.context["rows"]] == [sooner.pk, later.pk]


def test_the_export_is_an_audited_workbook_with_masked_phones(
    client_for: Any, make_appeal: Any, platform_staff: Any
) -> None:
    from openpyxl import load_workbook

    make_appeal(contact_phone="13905310001")
    response = client_for(platform_staff).get(reverse("appeals:manage"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "139****0001" in values and "13905310001" not in values
    assert AuditEvent.objects.filter(action="appeals.export", actor=platform_staff).exists()


def test_an_enterprise_cannot_export(client_for: Any, enterprise_user: Any) -> None:
    response = client_for(enterprise_user).get(reverse("appeals:manage"), {"format": "xlsx"})
    assert response.status_code == 403


def _many(make_appeal: Any, n: int, staff: Any, department: Any) -> None:
    for i in range(n):
        appeal = make_appeal(title=f"诉求{i}")
        if i % 2:
            dispatched(appeal, staff, department)


@pytest.mark.parametrize("n", [3, 30])
def test_the_three_lists_run_a_bounded_number_of_queries(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    department_admin: Any,
    enterprise_user: Any,
    django_assert_max_num_queries: Any,
    n: int,
) -> None:
    _many(make_appeal, n, platform_staff, department)
    cases = [
        (platform_staff, "appeals:manage"),
        (department_admin, "appeals:inbox"),
        (enterprise_user, "appeals:mine"),
    ]
    for user, name in cases:
        client = client_for(user)
        client.get(reverse(name))  # warm the session and the calendar
        with django_assert_max_num_queries(14):
            response = client.get(reverse(name))
        assert response.status_code == 200


# --- workbench and admin -----------------------------------------------------------------------


def test_the_workbench_shows_real_appeal_counts_per_role(
    client_for: Any,
    make_appeal: Any,
    platform_staff: Any,
    department_admin: Any,
    enterprise_user: Any,
) -> None:
    make_appeal()
    dispatched(make_appeal(), platform_staff, department_admin.department)
    responded(make_appeal(), platform_staff, department_admin)

    def counters(user: Any) -> dict[str, int]:
        panels = client_for(user).get(reverse("portal:workbench")).context["panels"]
        return {
            c.label: c.value for p in panels if p.extra.get("kind") == "appeals" for c in p.counters
        }

    assert counters(enterprise_user) == {"办理中": 3, "待我评价": 1}
    staff = counters(platform_staff)
    assert (staff["待研判派发"], staff["待回访"]) == (1, 1)
    assert counters(department_admin)["待签收"] == 1
    assert counters(department_admin)["办理中"] == 1


def test_the_admin_lists_appeals_read_only_and_edits_categories(
    client_for: Any, make_appeal: Any, superuser: Any, category: Any
) -> None:
    appeal = make_appeal()
    client = client_for(superuser)
    assert client.get(reverse("admin:appeals_appeal_changelist")).status_code == 200
    page = client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
    assert page.status_code == 200 and "提交诉求" in page.content.decode()
    assert (
        client.post(
            reverse("admin:appeals_appeal_change", args=[appeal.pk]), {"title": "改"}
        ).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:appeals_appealcategory_change", args=[category.pk])).status_code
        == 200
    )


def test_merging_into_another_enterprise_appeal_is_refused_with_a_message(
    client_for: Any, make_appeal: Any, platform_staff: Any, other_enterprise_user: Any
) -> None:
    duplicate = make_appeal()
    foreign = make_appeal(user=other_enterprise_user)
    response = act(client_for(platform_staff), duplicate, "merge", {"merge-into": foreign.pk})
    assert response.status_code == 302
    assert any("只能合并同一企业的诉求" in m for m in messages_of(response))
    assert Appeal.objects.get(pk=duplicate.pk).merged_into is None
