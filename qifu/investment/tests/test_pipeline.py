"""The pipeline: every node in order to 投产, registration onto the platform, refusals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from qifu.accounts.models import Enterprise, Role
from qifu.accounts.validators import build_credit_code
from qifu.core.models import AuditEvent
from qifu.investment import pipeline
from qifu.investment.models import NODE_ORDER, Lead, LeadEvent, Stage
from qifu.investment.services import leads as services
from qifu.investment.tasks import leads_deadline_sweep
from qifu.investment.tests.personas import _user, new_lead
from qifu.notifications.models import Notification
from qifu.projects.models import Project
from qifu.workspace.models import Assignment, AssignmentRole

pytestmark = pytest.mark.django_db

CODE = build_credit_code(serial=7001)


@pytest.fixture
def steward_on_duty(agency: Any) -> Any:
    return _user("guanjia_x", [Role.STEWARD], department=agency, real_name="林宏伟")


def advance_to(lead: Lead, actor: Any, stop: str, **kw: Any) -> Lead:
    for stage in NODE_ORDER[NODE_ORDER.index(lead.stage) + 1 : NODE_ORDER.index(stop) + 1]:
        extra = {"credit_code": CODE} if stage == Stage.REGISTERED else {}
        lead = services.lead_advance(lead=lead, actor=actor, stage=stage, **extra, **kw)
    return lead


def test_a_lead_moves_through_every_node_and_its_enterprise_joins_the_platform(
    lead: Lead, officer: Any, templates: None, steward_on_duty: Any, town: Any
) -> None:
    services.lead_update(lead=lead, actor=officer, changes={"town": town})
    lead = advance_to(lead, officer, Stage.PRODUCING)

    assert lead.stage == Stage.PRODUCING
    assert [
        e.to_state for e in LeadEvent.objects.filter(lead=lead, action="advance")
    ] == NODE_ORDER[1:]
    assert all(n.reached_at for n in lead.nodes.all())
    assert lead.first_contact_at is not None  # reaching 接洽 is the first contact
    enterprise = Enterprise.objects.get(credit_code=CODE)
    assert enterprise.name == lead.company and enterprise.industry == "C3734"
    assert enterprise.region == town and enterprise.contact_name == "周建国"
    steward = Assignment.objects.current().get(enterprise=enterprise, role=AssignmentRole.STEWARD)
    assert steward.user == steward_on_duty
    project = Project.objects.get(enterprise=enterprise)
    assert lead.construction_project == project and project.steward == steward_on_duty
    assert project.total_investment == lead.amount
    assert lead.next_due_at is None
    assert AuditEvent.objects.filter(action="investment.lead.advance").count() == 7


def test_a_node_cannot_be_skipped(lead: Lead, officer: Any) -> None:
    with pytest.raises(pipeline.TransitionNotAllowed, match="只能推进到“接洽”"):
        services.lead_advance(lead=lead, actor=officer, stage=Stage.INSPECTION)
    lead.refresh_from_db()
    assert lead.stage == Stage.LEAD
    assert not LeadEvent.objects.filter(lead=lead, action="advance").exists()


def test_registration_needs_a_valid_credit_code_and_leaves_nothing_behind(
    lead: Lead, officer: Any, templates: None, steward_on_duty: Any
) -> None:
    lead = advance_to(lead, officer, Stage.SIGNED)
    with pytest.raises(ValidationError) as caught:
        services.lead_advance(
            lead=lead, actor=officer, stage=Stage.REGISTERED, credit_code="91371082XXXX"
        )
    assert "credit_code" in caught.value.message_dict
    lead.refresh_from_db()
    assert lead.stage == Stage.SIGNED and lead.enterprise is None
    assert not Project.objects.exists()


def test_registration_needs_an_industry_code(
    lead: Lead, officer: Any, templates: None, steward_on_duty: Any
) -> None:
    services.lead_update(lead=lead, actor=officer, changes={"industry_code": ""})
    lead = advance_to(lead, officer, Stage.SIGNED)
    with pytest.raises(ValidationError) as caught:
        services.lead_advance(lead=lead, actor=officer, stage=Stage.REGISTERED, credit_code=CODE)
    assert "industry_code" in caught.value.message_dict


def test_terminating_needs_a_reason_and_a_team_lead_may_reopen(
    lead: Lead, officer: Any, investment_admin: Any
) -> None:
    lead = advance_to(lead, officer, Stage.INSPECTION)
    with pytest.raises(ValidationError):
        services.lead_terminate(lead=lead, actor=officer, reason=" ")
    lead = services.lead_terminate(lead=lead, actor=officer, reason="投资方改在本地扩建")
    assert lead.stage == Stage.TERMINATED and lead.terminated_from == Stage.INSPECTION
    with pytest.raises(PermissionDenied):
        services.lead_reopen(lead=lead, actor=officer)
    lead = services.lead_reopen(lead=lead, actor=investment_admin)
    assert lead.stage == Stage.INSPECTION and lead.terminated_reason == ""
    with pytest.raises(pipeline.TransitionNotAllowed):
        services.lead_reopen(lead=lead, actor=investment_admin)


def test_a_leader_reads_but_does_not_move_a_lead(lead: Lead, leader: Any) -> None:
    assert Lead.objects.for_user(leader).filter(pk=lead.pk).exists()
    with pytest.raises(PermissionDenied):
        services.lead_advance(lead=lead, actor=leader, stage=Stage.CONTACT)


def test_enterprise_users_and_other_departments_see_no_lead(
    lead: Lead, enterprise_user: Any, department_admin: Any
) -> None:
    assert not Lead.objects.for_user(enterprise_user).exists()
    assert not Lead.objects.for_user(department_admin).exists()


@override_settings(INVESTMENT_PIPELINE_SCOPE="own")
def test_with_scope_own_an_officer_sees_only_the_leads_they_take_part_in(
    lead: Lead, officer: Any, other_officer: Any, investment_admin: Any
) -> None:
    assert not Lead.objects.for_user(other_officer).exists()
    assert Lead.objects.for_user(investment_admin).count() == 1
    services.lead_member_set(lead=lead, actor=officer, user=other_officer, role="协办")
    assert Lead.objects.for_user(other_officer).count() == 1


def test_the_plan_sets_the_deadline_and_the_sweep_reminds_then_reports_the_slip(
    lead: Lead, officer: Any
) -> None:
    today = timezone.localdate()
    lead = services.lead_plan_update(
        lead=lead, actor=officer, plan={Stage.CONTACT: (officer, today + dt.timedelta(days=1))}
    )
    assert lead.next_due_at == pipeline.node_due_at(today + dt.timedelta(days=1))
    with time_machine.travel(lead.next_due_at - dt.timedelta(hours=3)):
        assert leads_deadline_sweep()["reminded"] == 1
        assert leads_deadline_sweep()["reminded"] == 0  # once
    with time_machine.travel(lead.next_due_at + dt.timedelta(hours=1)):
        assert leads_deadline_sweep()["overdue"] == 1
        assert leads_deadline_sweep()["overdue"] == 0
    titles = list(Notification.objects.filter(user=officer).values_list("title", flat=True))
    assert any("即将到期" in t for t in titles) and any("滞后" in t for t in titles)


def test_a_plan_date_before_the_previous_node_is_refused(lead: Lead, officer: Any) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.lead_plan_update(
            lead=lead,
            actor=officer,
            plan={
                Stage.CONTACT: (None, today + dt.timedelta(days=9)),
                Stage.INSPECTION: (None, today),
            },
        )
    assert Stage.INSPECTION in caught.value.message_dict


def test_a_second_lead_of_the_same_company_is_flagged_as_duplicate(officer: Any) -> None:
    first = new_lead(officer)
    second = new_lead(officer, company="宁波海宸船舶配套股份有限公司 ", phone="")
    assert second.duplicate_of == first
    assert new_lead(officer, company="青岛海健生物科技股份有限公司").duplicate_of is None
