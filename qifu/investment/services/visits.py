"""Visits (来访/出访), follow-up tasks and the key-enterprise database (外地重点企业库)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.investment import access
from qifu.investment.models import (
    ContactStatus,
    EventAction,
    FollowUpTask,
    KeyEnterprise,
    Lead,
    TaskStatus,
    Visit,
)
from qifu.investment.pipeline import PROCESS, TASKS


def visit_save(
    *, actor: Any, values: dict[str, Any], leads: list[Lead], visit: Visit | None = None
) -> Visit:
    """Record or change a visit and the leads it served (each lead's history notes it)."""
    access.check_investment_staff(actor)
    with transaction.atomic():
        is_new = visit is None
        visit = visit or Visit(created_by=actor)
        for name, value in values.items():
            setattr(visit, name, value)
        visit.full_clean()
        visit.save()
        before = set(visit.leads.values_list("pk", flat=True))
        visit.leads.set(leads)
        for lead in leads:
            if lead.pk not in before:
                with PROCESS.act(lead, EventAction.VISIT, actor=actor) as step:
                    step.note = (
                        f"{visit.get_direction_display()}："  # type: ignore[attr-defined]
                        f"{visit.visited_on:%Y-%m-%d} {visit.delegation}"
                    )
        audit_record(
            action="investment.visit.create" if is_new else "investment.visit.update",
            actor=actor,
            target=visit,
            summary=str(visit)[:200],
        )
    return visit


def task_create(
    *,
    actor: Any,
    title: str,
    assignee: Any,
    due_at: dt.datetime,
    lead: Lead | None = None,
    visit: Visit | None = None,
) -> FollowUpTask:
    """A follow-up task with a deadline (the sweep reminds the assignee before it)."""
    access.check_investment_staff(actor)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = "请填写任务内容。"
    if not access.is_investment_staff(assignee):
        errors["assignee"] = "承办人应为招商工作人员。"
    if due_at <= timezone.now():
        errors["due_at"] = "完成期限应晚于现在。"
    if errors:
        raise ValidationError(errors)
    if lead is not None:
        access.check_work_lead(actor, lead)
    task = FollowUpTask(
        lead=lead,
        visit=visit,
        title=title[:200],
        assignee=assignee,
        due_at=due_at,
        created_by=actor,
    )
    due_text = f"{timezone.localtime(due_at):%m月%d日 %H:%M}"
    with TASKS.start(task, "create", actor=actor, state=TaskStatus.OPEN) as step:
        task.save()
        step.fix_deadline("due_at", due_at)
        step.note = f"{assignee}，{due_text}前"
        if assignee.pk != actor.pk:
            step.notify([assignee], f"招商跟进任务：{title}"[:100], f"请于{due_text}前完成。")
        if lead is not None:
            with PROCESS.act(lead, EventAction.TASK, actor=actor) as lead_step:
                lead_step.note = f"{title}（{assignee}，{due_text}前）"
    return task


def task_complete(
    *, task: FollowUpTask, actor: Any, result: str = "", cancel: bool = False
) -> FollowUpTask:
    """The assignee (or the agency's lead) ends a task; a second click gets a 409."""
    with TASKS.act(task, "cancel" if cancel else "complete", actor=actor) as step:
        locked: FollowUpTask = step.obj
        locked.done_at = step.now
        locked.result = (result or "").strip()[:500]
        step.note = locked.result
    return locked


def key_enterprise_save(
    *, actor: Any, values: dict[str, Any], key_enterprise: KeyEnterprise | None = None
) -> KeyEnterprise:
    """Add or change a key enterprise elsewhere (and its contact status)."""
    access.check_investment_staff(actor)
    with transaction.atomic():
        row = key_enterprise or KeyEnterprise()
        for name, value in values.items():
            setattr(row, name, value)
        if row.chain_link_id and row.chain_id is None:
            row.chain = row.chain_link.chain  # type: ignore[union-attr]
        row.full_clean()
        row.save()
        audit_record(
            action="investment.key_enterprise.save", actor=actor, target=row, summary=row.name[:200]
        )
    return row


def key_enterprise_to_lead(*, actor: Any, key_enterprise: KeyEnterprise) -> Lead:
    """Open a lead for a key enterprise (重点企业对接); its contact status becomes 洽谈中."""
    from qifu.investment.services.leads import lead_create

    existing = key_enterprise.leads.exclude(stage="terminated").first()
    if existing is not None:
        raise ValidationError({"__all__": f"该企业已有招商项目 {existing.reference}。"})
    with transaction.atomic():
        lead = lead_create(
            actor=actor,
            company=key_enterprise.name,
            credit_code=key_enterprise.credit_code,
            contact_name=key_enterprise.contact_name or "待定",
            phone=key_enterprise.contact_phone,
            country=key_enterprise.country,
            province=key_enterprise.province,
            city=key_enterprise.city,
            industry=key_enterprise.industry
            or (key_enterprise.chain.name if key_enterprise.chain else "—"),
            chain=key_enterprise.chain,
            chain_link=key_enterprise.chain_link,
            origin="key_enterprise",
            owner=actor,
            key_enterprise=key_enterprise,
        )
        KeyEnterprise.objects.filter(pk=key_enterprise.pk).update(
            contact_status=ContactStatus.CONVERTED, updated_at=timezone.now()
        )
    return lead
