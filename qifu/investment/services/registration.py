"""注册: a signed investment project registers and its enterprise joins the platform.

The enterprise is created (or, for an existing one expanding, found) from the lead's record
without retyping; it gets its exclusive space's people — a project steward and, where the space
agency's rules say so, a service commissioner — and its construction project (立项 → 竣工验收)
starts from the pipeline record, planned to begin on the 开工 node's planned date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import Enterprise, Qualification, Role, Scale, User
from qifu.accounts.services import enterprise_upsert
from qifu.accounts.validators import (
    normalize_credit_code,
    validate_credit_code,
    validate_industry_code,
    validate_mobile,
)
from qifu.investment.models import Lead, LeadNode, Stage
from qifu.workdays.calendar import WorkCalendar
from qifu.workspace.models import AssignmentMethod, AssignmentRole
from qifu.workspace.selectors.assignments import current_assignee
from qifu.workspace.services.assignments import (
    assignment_set,
    current_loads,
    rule_candidates,
    rule_for,
)


def _check(lead: Lead, credit_code: str, scale: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    code = normalize_credit_code(credit_code or lead.credit_code or "")
    if not code:
        errors["credit_code"] = ["注册落地需要填写统一社会信用代码。"]
    else:
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            errors["credit_code"] = exc.messages
    try:
        validate_industry_code(lead.industry_code)
    except ValidationError:
        errors["industry_code"] = [
            "注册落地前请在项目信息中填写 GB/T 4754 行业代码（例如 C3731），企业入驻平台需要它。"
        ]
    scale = scale or Scale.SMALL
    if scale not in Scale.values:
        errors["scale"] = ["企业规模应为 large、medium、small 或 micro。"]
    if errors:
        raise ValidationError(errors)
    return code, scale


def _serve(enterprise: Enterprise, role: str, *, lead: Lead, fallback: bool) -> User | None:
    """The person the space agency's rules give the enterprise in `role` (by town and industry).

    With no matching rule a steward is still needed (measures art. 8: every project has one): the
    least-loaded steward takes it, and the space agency may hand it over later.
    """
    current = current_assignee(enterprise, role)
    if current is not None:
        return current
    account_role = Role.STEWARD if role == AssignmentRole.STEWARD else Role.COMMISSIONER
    loads = current_loads(role)
    rule = rule_for(enterprise, rule_candidates(role), loads)
    note = f"招商项目 {lead.reference} 注册落地"
    if rule is not None:
        method = AssignmentMethod.TOWN if rule.region_id else AssignmentMethod.INDUSTRY
        assignment_set(
            enterprise=enterprise, role=role, user=rule.user, method=method, actor=None, note=note
        )
        return rule.user
    if not fallback:
        return None
    people = list(
        User.objects.filter(
            is_active=True, role_grants__role=account_role, department__isnull=False
        ).distinct()
    )
    if not people:
        raise ValidationError(
            {"__all__": ["平台尚无在岗的项目管家，请先由专属空间管理机构设置项目管家。"]}
        )
    person = min(people, key=lambda u: (loads[u.pk], u.pk))
    assignment_set(
        enterprise=enterprise,
        role=role,
        user=person,
        method=AssignmentMethod.MANUAL,
        actor=None,
        note=f"{note}；无匹配规则，按在办负荷指定",
    )
    return person


def register_enterprise(*, lead: Lead, actor: Any, credit_code: str, scale: str = "") -> None:
    """Create the enterprise, its steward and its construction project; runs inside the
    transition's transaction, so a refusal (400) leaves nothing behind."""
    from qifu.projects.services import project_create

    code, scale = _check(lead, credit_code, scale)
    existing = Enterprise.objects.filter(credit_code=code).first()
    if existing is None:
        town = lead.town or (lead.park.town if lead.park else None)
        phone = lead.phone if _is_mobile(lead.phone) else ""
        enterprise = enterprise_upsert(
            credit_code=code,
            actor=actor,
            name=lead.company,
            industry=lead.industry_code,
            scale=scale,
            region=town,
            address=(lead.park.name if lead.park else ""),
            contact_name=lead.contact_name,
            contact_phone=phone,
            founded_on=timezone.localdate(),
            qualifications=[Qualification.FOREIGN_INVESTED] if lead.is_foreign else [],
        )
        _invite_first_admin(enterprise, lead, actor, phone)
    else:
        enterprise = existing  # an enterprise of the city investing again (增资扩产)
    lead.credit_code = code
    lead.enterprise = enterprise
    lead.save(update_fields=["credit_code", "enterprise", "updated_at"])
    steward = _serve(enterprise, AssignmentRole.STEWARD, lead=lead, fallback=True)
    _serve(enterprise, AssignmentRole.COMMISSIONER, lead=lead, fallback=False)
    started = LeadNode.objects.filter(lead=lead, stage=Stage.STARTED).first()
    planned_start = (
        started.planned_on
        if started is not None and started.planned_on
        else WorkCalendar().add_working_days(timezone.localdate(), 20)
    )
    project = project_create(
        actor=actor,
        enterprise=enterprise,
        name=f"{lead.company}{lead.interest or '投资项目'}"[:200],
        total_investment=lead.amount or Decimal("0"),
        planned_start_on=planned_start,
        town=enterprise.region,
        site=lead.park.name if lead.park else "",
        steward=steward,
    )
    lead.construction_project = project
    lead.save(update_fields=["construction_project", "updated_at"])


def _invite_first_admin(enterprise: Enterprise, lead: Lead, actor: Any, phone: str) -> None:
    """The investor's contact is invited by SMS to be the new enterprise's administrator, so the
    enterprise can sign in to its space. Without a usable mobile number (or with one already bound
    to another account) nobody is invited: the enterprise registers itself as any other does
    (credit code and an SMS code), and the steward tells it so."""
    from qifu.workspace.services.members import first_admin_invite

    if not phone or not lead.contact_name:
        return
    try:
        with transaction.atomic():
            first_admin_invite(
                enterprise=enterprise, actor=actor, real_name=lead.contact_name, phone=phone
            )
    except ValidationError:
        return


def _is_mobile(phone: str) -> bool:
    try:
        validate_mobile(phone)
    except ValidationError:
        return False
    return True
