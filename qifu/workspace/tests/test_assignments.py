"""Assigning commissioners and stewards: by hand, by the rules, hand-over, coverage page and API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qifu.accounts.models import Role
from qifu.accounts.services import user_create
from qifu.core.models import AuditEvent
from qifu.notifications.models import Notification
from qifu.workspace.models import (
    Assignment,
    AssignmentMethod,
    AssignmentRole,
    AssignmentRule,
    RequestStatus,
    ServiceRequest,
)
from qifu.workspace.selectors.assignments import commissioner_for, steward_for
from qifu.workspace.services.assignments import (
    assignment_rule_create,
    assignment_set,
    assignments_auto_fill,
    assignments_handover,
)
from qifu.workspace.services.requests import service_request_submit
from qifu.workspace.tasks import assignments_fill_gaps

C = AssignmentRole.COMMISSIONER
S = AssignmentRole.STEWARD


def test_assignment_set_opens_a_row_audits_and_notifies_both_sides(
    enterprise: Any,
    enterprise_user: Any,
    commissioner: Any,
    platform_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        row = assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    assert row.method == AssignmentMethod.MANUAL and row.assigned_by == platform_staff
    assert commissioner_for(enterprise) == commissioner
    assert AuditEvent.objects.filter(action="workspace.assignment.manual").exists()
    assert Notification.objects.filter(user=enterprise_user, title__contains="服务专员").exists()
    assert Notification.objects.filter(user=commissioner, title__contains=enterprise.name).exists()


def test_reassigning_ends_the_old_row_and_keeps_history(
    enterprise: Any, commissioner: Any, other_commissioner: Any, platform_staff: Any
) -> None:
    first = assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    assignment_set(enterprise=enterprise, role=C, user=other_commissioner, actor=platform_staff)
    first.refresh_from_db()
    assert first.ended_at is not None
    assert Assignment.objects.filter(enterprise=enterprise, role=C).count() == 2
    assert commissioner_for(enterprise) == other_commissioner


def test_assigning_the_same_person_again_changes_nothing(
    enterprise: Any, commissioner: Any, platform_staff: Any
) -> None:
    assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    assert Assignment.objects.filter(enterprise=enterprise).count() == 1


def test_a_person_without_the_matching_role_cannot_be_assigned(
    enterprise: Any, steward: Any, platform_staff: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        assignment_set(enterprise=enterprise, role=C, user=steward, actor=platform_staff)
    assert "user" in error.value.message_dict


def test_only_the_space_agency_assigns(
    enterprise: Any, commissioner: Any, department_admin: Any
) -> None:
    with pytest.raises(PermissionDenied):
        assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=department_admin)


def test_auto_fill_prefers_the_most_specific_rule(
    make_enterprise: Any, town: Any, commissioner: Any, other_commissioner: Any, platform_staff: Any
) -> None:
    fish = make_enterprise(region=town, industry="C1361")
    other = make_enterprise(region=town, industry="C3630")
    # A town-only rule with a better priority loses to a town + industry rule.
    assignment_rule_create(
        actor=platform_staff, role=C, user=other_commissioner, region=town, priority=1
    )
    assignment_rule_create(
        actor=platform_staff,
        role=C,
        user=commissioner,
        region=town,
        industry_prefix="c136",
        priority=50,
    )
    counts = assignments_auto_fill(role=C, actor=platform_staff)
    assert counts == {"assigned": 2, "unmatched": 0}
    assert commissioner_for(fish) == commissioner
    assert commissioner_for(other) == other_commissioner
    assert Assignment.objects.get(enterprise=fish).method == AssignmentMethod.TOWN


def test_auto_fill_breaks_ties_by_the_lighter_load(
    make_enterprise: Any, commissioner: Any, other_commissioner: Any, platform_staff: Any
) -> None:
    busy = make_enterprise(industry="C1361")
    assignment_set(enterprise=busy, role=C, user=commissioner, actor=platform_staff)
    new = make_enterprise(industry="C1362")
    for person in (commissioner, other_commissioner):
        assignment_rule_create(actor=platform_staff, role=C, user=person, industry_prefix="C13")
    assignments_auto_fill(role=C)
    assert commissioner_for(new) == other_commissioner
    assert Assignment.objects.get(enterprise=new).method == AssignmentMethod.INDUSTRY


def test_auto_fill_is_idempotent_and_skips_what_no_rule_matches(
    make_enterprise: Any, commissioner: Any, platform_staff: Any
) -> None:
    make_enterprise(industry="C1361")
    make_enterprise(industry="F5100")
    assignment_rule_create(actor=platform_staff, role=C, user=commissioner, industry_prefix="C")
    assert assignments_auto_fill(role=C) == {"assigned": 1, "unmatched": 1}
    assert assignments_auto_fill(role=C) == {"assigned": 0, "unmatched": 1}


def test_the_hourly_job_fills_both_roles(
    enterprise: Any, commissioner: Any, steward: Any, platform_staff: Any
) -> None:
    assignment_rule_create(actor=platform_staff, role=C, user=commissioner, industry_prefix="C")
    assignment_rule_create(actor=platform_staff, role=S, user=steward, industry_prefix="C")
    assert assignments_fill_gaps()["assigned"] == 2
    assert steward_for(enterprise) == steward


def test_a_rule_needs_a_town_or_an_industry(commissioner: Any, platform_staff: Any) -> None:
    with pytest.raises(ValidationError):
        assignment_rule_create(actor=platform_staff, role=C, user=commissioner)


def test_handover_moves_enterprises_and_open_requests_keeping_history(
    make_enterprise: Any,
    enterprise: Any,
    enterprise_user: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
) -> None:
    second = make_enterprise()
    for e in (enterprise, second):
        assignment_set(enterprise=e, role=C, user=commissioner, actor=platform_staff)
    open_one = service_request_submit(
        user=enterprise_user, kind="archive_query", title="查档", description="调取设立登记档案"
    )
    moved = assignments_handover(
        from_user=commissioner,
        to_user=other_commissioner,
        role=C,
        actor=platform_staff,
        note="调岗",
    )
    assert moved == 2
    assert commissioner_for(second) == other_commissioner
    assert Assignment.objects.filter(user=commissioner, ended_at__isnull=False).count() == 2
    assert Assignment.objects.filter(method=AssignmentMethod.HANDOVER).count() == 2
    open_one.refresh_from_db()
    assert open_one.commissioner == other_commissioner
    assert open_one.events.filter(action="reassign").exists()


def test_handover_to_oneself_is_refused(commissioner: Any, platform_staff: Any) -> None:
    with pytest.raises(ValidationError):
        assignments_handover(
            from_user=commissioner, to_user=commissioner, role=C, actor=platform_staff
        )


# --- the coverage page -----------------------------------------------------------------------


def test_coverage_page_needs_login(client: Any) -> None:
    response = client.get(reverse("workspace:coverage"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_coverage_page_is_refused_to_a_commissioner(client_for: Any, commissioner: Any) -> None:
    assert client_for(commissioner).get(reverse("workspace:coverage")).status_code == 403


def test_coverage_page_lists_gaps_and_loads_in_bounded_queries(
    client_for: Any,
    make_enterprise: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
    django_assert_max_num_queries: Any,
) -> None:
    covered = make_enterprise(name="已覆盖水产有限公司")
    assignment_set(enterprise=covered, role=C, user=commissioner, actor=platform_staff)
    for i in range(30):
        make_enterprise(name=f"缺口企业{i:02d}有限公司")
    client = client_for(platform_staff)
    client.get(reverse("workspace:coverage"))  # warm caches (sessions, role sets)
    # Constant: the rows reuse one people list; the pickers and filters cost one query each.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("workspace:coverage"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "缺口企业00有限公司" in text and "已覆盖水产有限公司" not in text
    assert "无服务专员的企业（30 家）" in text


def test_coverage_filters_by_town_and_industry(
    client_for: Any, make_enterprise: Any, town: Any, platform_staff: Any
) -> None:
    make_enterprise(name="俚岛渔业公司", region=town, industry="A0411")
    make_enterprise(name="城区房车公司", industry="C3630")
    response = client_for(platform_staff).get(
        reverse("workspace:coverage"), {"role": "steward", "town": town.pk, "industry": "A"}
    )
    text = response.content.decode()
    assert "俚岛渔业公司" in text and "城区房车公司" not in text


def test_coverage_actions_assign_auto_and_hand_over(
    client_for: Any,
    enterprise: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
) -> None:
    client = client_for(platform_staff)
    response = client.post(
        reverse("workspace:coverage_assign"),
        {"role": C, "enterprise": enterprise.pk, "user": commissioner.pk},
    )
    assert response.status_code == 302
    assert commissioner_for(enterprise) == commissioner
    client.post(
        reverse("workspace:coverage_handover"),
        {"role": C, "from_user": commissioner.pk, "to_user": other_commissioner.pk, "note": ""},
    )
    assert commissioner_for(enterprise) == other_commissioner
    client.post(
        reverse("workspace:rule_create"),
        {"role": C, "user": commissioner.pk, "industry_prefix": "C13", "priority": 10},
    )
    assert AssignmentRule.objects.filter(industry_prefix="C13").exists()
    assert client.post(reverse("workspace:coverage_auto"), {"role": S}).status_code == 302


def test_coverage_actions_are_refused_to_others(
    client_for: Any, enterprise: Any, commissioner: Any
) -> None:
    response = client_for(commissioner).post(
        reverse("workspace:coverage_assign"),
        {"role": C, "enterprise": enterprise.pk, "user": commissioner.pk},
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


# --- the API ---------------------------------------------------------------------------------


def test_api_current_people_for_the_enterprise_and_404_for_another(
    api_client_for: Any,
    enterprise: Any,
    enterprise_user: Any,
    other_enterprise: Any,
    commissioner: Any,
    platform_staff: Any,
) -> None:
    assignment_set(enterprise=enterprise, role=C, user=commissioner, actor=platform_staff)
    client = api_client_for(enterprise_user)
    body = client.get("/api/v1/workspace/assignments/current").json()
    assert body["commissioner"]["phone"] == commissioner.phone
    assert body["steward"] is None
    response = client.get(
        "/api/v1/workspace/assignments/current", {"enterprise": other_enterprise.credit_code}
    )
    assert response.status_code == 404


def test_api_coverage_assign_and_handover_are_staff_only(
    api_client_for: Any,
    enterprise: Any,
    commissioner: Any,
    other_commissioner: Any,
    platform_staff: Any,
) -> None:
    assert (
        api_client_for(commissioner).get("/api/v1/workspace/assignments/coverage").status_code
        == 403
    )
    client = api_client_for(platform_staff)
    body = client.get("/api/v1/workspace/assignments/coverage").json()
    assert body["without"] == 1
    response = client.post(
        "/api/v1/workspace/assignments",
        {"enterprise": enterprise.credit_code, "role": C, "user": commissioner.username},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["commissioner"]["username"] == commissioner.username
    response = client.post(
        "/api/v1/workspace/assignments/handover",
        {"role": C, "from_user": commissioner.username, "to_user": other_commissioner.username},
        content_type="application/json",
    )
    assert response.json() == {"moved": 1}
    gaps = client.get("/api/v1/workspace/assignments/gaps", {"role": S}).json()
    assert gaps["count"] == 1


def test_api_assign_refuses_a_person_without_the_role(
    api_client_for: Any, enterprise: Any, steward: Any, platform_staff: Any
) -> None:
    response = api_client_for(platform_staff).post(
        "/api/v1/workspace/assignments",
        {"enterprise": enterprise.credit_code, "role": C, "user": steward.username},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "user" in response.json()["detail"]


def test_demo_like_extra_account_with_both_roles_can_serve_both(
    enterprise: Any, agency: Any, platform_staff: Any
) -> None:
    both = user_create(
        username="both_t",
        password="Test@2026pw",
        roles=[Role.COMMISSIONER, Role.STEWARD],
        department=agency,
        validate=False,
    )
    assignment_set(enterprise=enterprise, role=C, user=both, actor=platform_staff)
    assignment_set(enterprise=enterprise, role=S, user=both, actor=platform_staff)
    assert Assignment.objects.current().filter(user=both).count() == 2
    assert ServiceRequest.objects.filter(status=RequestStatus.SUBMITTED).count() == 0
