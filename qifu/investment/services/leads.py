"""Writes to leads and projects: creating, assigning, contacting, planning, the team, evidence,
duplicates, and moving through the nodes (by `qifu.investment.pipeline.transition`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Section, User
from qifu.accounts.validators import normalize_credit_code
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.investment import access, pipeline
from qifu.investment.fields import EDITABLE_FIELDS
from qifu.investment.models import (
    NODE_ORDER,
    DocumentKind,
    EventAction,
    Lead,
    LeadDocument,
    LeadMember,
    LeadNode,
    Stage,
)
from qifu.notifications.services import notify

MAX_DOCUMENTS = 30
_COMPANY_NOISE = re.compile(r"[\s（）()·,，.。]|有限责任公司$|股份有限公司$|有限公司$|集团$")


# --- people to tell -------------------------------------------------------------------------


def investment_leads_users() -> list[User]:
    """The agency's administrator and liaison, who receive new leads (商务局 is notified)."""
    users = (
        User.objects.filter(
            is_active=True,
            department__isnull=False,
            role_grants__role__in=access.LEAD_ROLES,
        )
        .select_related("department")
        .distinct()
    )
    return [u for u in users if Section.INVESTMENT in (u.department.sections or [])]  # type: ignore[union-attr]


def lead_url(lead: Lead) -> str:
    return reverse("investment:lead", args=[lead.pk])


def notify_about(
    users: Iterable[Any], lead: Lead, title: str, body: str, *, sms: bool = False
) -> None:
    recipients = list({u.pk: u for u in users if u is not None}.values())
    if recipients:
        notify(
            users=recipients,
            code="generic",
            context={"title": title, "body": body},
            url=lead_url(lead),
            channels=("inbox", "sms") if sms else ("inbox",),
        )


# --- numbers, duplicates, plan --------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"ZS{year}-"
    last = Lead.objects.filter(reference__startswith=prefix).aggregate(m=Max("reference"))["m"]
    serial = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


def company_key(name: str) -> str:
    """A company name without spaces, brackets and the legal-form suffix, for duplicates."""
    return _COMPANY_NOISE.sub("", (name or "").strip())


def find_duplicate(
    *, company: str, credit_code: str = "", exclude: int | None = None
) -> Lead | None:
    """An earlier open or finished lead of the same company (by credit code or name)."""
    qs = Lead.objects.exclude(pk=exclude) if exclude else Lead.objects.all()
    if credit_code:
        match = qs.filter(credit_code=credit_code).order_by("intent_at").first()
        if match is not None:
            return match
    key = company_key(company)
    if len(key) < 4:
        return None
    stem = key[:4]
    for lead in qs.filter(company__contains=stem).order_by("intent_at")[:50]:
        if company_key(lead.company) == key:
            return lead
    return None


def _plan_nodes(lead: Lead, *, start: dt.date, owner: User | None) -> None:
    plan = pipeline.default_plan(start, after=lead.stage)
    LeadNode.objects.bulk_create(
        [
            LeadNode(lead=lead, stage=stage, owner=owner, planned_on=plan.get(stage))
            for stage in NODE_ORDER
            if stage == lead.stage or stage in plan
        ],
        ignore_conflicts=True,
    )
    LeadNode.objects.filter(lead=lead, stage=lead.stage, reached_at__isnull=True).update(
        reached_at=lead.intent_at
    )


@transaction.atomic
def lead_insert(*, fields: dict[str, Any], actor: Any, action: str, note: str = "") -> Lead:
    """Number, save and plan a new lead, flag a duplicate, write its first history row."""
    now = timezone.now()
    intent_at = fields.pop("intent_at", None) or now
    lead = Lead(intent_at=intent_at, stage_changed_at=intent_at, **fields)
    if lead.credit_code:
        lead.credit_code = normalize_credit_code(lead.credit_code)
    lead.duplicate_of = find_duplicate(company=lead.company, credit_code=lead.credit_code)
    if lead.owner_id:
        lead.owner_assigned_at = intent_at
    lead.full_clean(exclude=["reference"])
    for _ in range(5):
        lead.reference = _next_reference(timezone.localtime(intent_at).year)
        try:
            with transaction.atomic():
                lead.save()
            break
        except IntegrityError:
            continue  # a concurrent intent took the number: take the next one
    else:  # pragma: no cover - five collisions in a row
        raise ValidationError({"__all__": "系统繁忙，请稍后再试。"})
    _plan_nodes(lead, start=timezone.localdate(intent_at), owner=lead.owner)
    pipeline.refresh_due(lead)
    lead.save(update_fields=["next_due_at", "reminded_for", "overdue_marked_for"])
    pipeline.event(lead, action=action, actor=actor, note=note)
    if lead.duplicate_of_id:
        pipeline.event(
            lead,
            action=EventAction.DUPLICATE,
            actor=None,
            note=f"与 {lead.duplicate_of.reference} {lead.duplicate_of.company} 疑似重复",  # type: ignore[union-attr]
            audit=False,
        )
    return lead


def lead_create(*, actor: Any, **fields: Any) -> Lead:
    """Staff record a lead (from a call, a visit, a key enterprise, a referral)."""
    access.check_investment_staff(actor)
    unknown = set(fields) - {*EDITABLE_FIELDS, "origin", "owner", "key_enterprise", "intent_at"}
    if unknown:
        raise ValueError(f"unknown lead fields: {sorted(unknown)}")
    owner = fields.get("owner")
    if owner is not None and not access.is_investment_staff(owner):
        raise ValidationError({"owner": "负责人应为招商工作人员。"})
    fields.setdefault("origin", "staff")
    fields["created_by"] = actor
    lead = lead_insert(fields=fields, actor=actor, action=EventAction.CREATE)
    if owner is not None and owner.pk != actor.pk:
        transaction.on_commit(
            lambda: notify_about(
                [owner],
                lead,
                f"新招商项目：{lead.company}",
                f"您被确定为{lead.reference}的负责人。",
            )
        )
    return lead


def _locked(lead: Lead, actor: Any) -> Lead:
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    access.check_work_lead(actor, locked)
    return locked


def lead_update(*, lead: Lead, actor: Any, changes: dict[str, Any]) -> Lead:
    """Edit a lead's facts (company, contact, amounts, chain, landing place)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        locked = _locked(lead, actor)
        changed = [n for n, v in changes.items() if getattr(locked, n) != v]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, changes[name])
        if "credit_code" in changed and locked.credit_code:
            locked.credit_code = normalize_credit_code(locked.credit_code)
        locked.full_clean()
        locked.save()
        labels = "、".join(
            str(getattr(Lead._meta.get_field(n), "verbose_name", n)) for n in changed
        )
        pipeline.event(locked, action=EventAction.UPDATE, actor=actor, note=f"修改：{labels}")
    return locked


def lead_assign(*, lead: Lead, actor: Any, owner: User, note: str = "") -> Lead:
    """Make `owner` the responsible person; the plan's open nodes follow unless set by hand."""
    if not access.is_team_lead(actor) and not (
        access.can_work_lead(actor, lead) and lead.owner_id in (None, actor.pk)
    ):
        raise PermissionDenied("只有招商部门负责人可以改派项目负责人。")
    if not access.is_investment_staff(owner) or not owner.is_active:
        raise ValidationError({"owner": "负责人应为在岗的招商工作人员。"})
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if locked.owner_id == owner.pk:
            return locked
        previous = locked.owner_id
        locked.owner = owner
        if locked.owner_assigned_at is None:
            locked.owner_assigned_at = timezone.now()
        locked.save(update_fields=["owner", "owner_assigned_at", "updated_at"])
        LeadNode.objects.filter(lead=locked, reached_at__isnull=True).filter(
            Q(owner__isnull=True) | Q(owner_id=previous)
        ).update(owner=owner, updated_at=timezone.now())
        pipeline.event(
            locked, action=EventAction.ASSIGN, actor=actor, note=note or f"负责人：{owner}"
        )
        notify_about(
            [owner],
            locked,
            f"您负责的招商项目：{locked.company}",
            f"{locked.reference}已交由您负责。",
        )
    return locked


def lead_contact(
    *, lead: Lead, actor: Any, way: str, content: str, contacted_at: dt.datetime | None = None
) -> Lead:
    """Record a contact with the investor; the first one sets the time to first contact."""
    content = (content or "").strip()
    errors: dict[str, str] = {}
    if not content:
        errors["content"] = "请填写联系情况。"
    now = timezone.now()
    contacted_at = contacted_at or now
    if contacted_at > now + dt.timedelta(minutes=5):
        errors["contacted_at"] = "联系时间不能晚于现在。"
    if contacted_at < lead.intent_at - dt.timedelta(minutes=1):
        errors["contacted_at"] = "联系时间不能早于登记时间。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(lead, actor)
        if locked.first_contact_at is None or contacted_at < locked.first_contact_at:
            locked.first_contact_at = contacted_at
            locked.save(update_fields=["first_contact_at", "updated_at"])
        pipeline.event(
            locked,
            action=EventAction.CONTACT,
            actor=actor,
            note=f"{way or '联系'}（{timezone.localtime(contacted_at):%Y-%m-%d %H:%M}）：{content}",
        )
    return locked


def lead_plan_update(
    *, lead: Lead, actor: Any, plan: dict[str, tuple[User | None, dt.date | None]]
) -> Lead:
    """Set each open node's responsible person and planned date; the deadline follows."""
    errors: dict[str, str] = {}
    for stage, (owner, _day) in plan.items():
        if stage not in NODE_ORDER:
            errors[stage] = "未知节点。"
        elif owner is not None and not access.is_investment_staff(owner):
            errors[stage] = f"{owner}不是招商工作人员，不能作为节点责任人。"
    ordered = [(s, plan[s][1]) for s in NODE_ORDER if s in plan and plan[s][1] is not None]
    for (first, a), (second, b) in pairwise(ordered):
        if a and b and b < a:
            errors[second] = f"“{Stage(second).label}”的计划日期不能早于“{Stage(first).label}”。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(lead, actor)
        changed: list[str] = []
        for stage, (owner, day) in plan.items():
            node, _ = LeadNode.objects.get_or_create(lead=locked, stage=stage)
            if node.reached_at is not None:
                continue  # a reached node's plan is history
            if node.owner_id != (owner.pk if owner else None) or node.planned_on != day:
                node.owner = owner
                node.planned_on = day
                node.save(update_fields=["owner", "planned_on", "updated_at"])
                changed.append(
                    f"{Stage(stage).label} {day:%Y-%m-%d}" if day else f"{Stage(stage).label} 未定"
                )
        if not changed:
            return locked
        pipeline.refresh_due(locked)
        locked.save(
            update_fields=["next_due_at", "reminded_for", "overdue_marked_for", "updated_at"]
        )
        pipeline.event(locked, action=EventAction.PLAN, actor=actor, note="；".join(changed))
    return locked


def lead_member_set(
    *, lead: Lead, actor: Any, user: User, role: str = "", remove: bool = False
) -> Lead:
    """Add (or remove) a team member of the lead."""
    if not access.is_investment_staff(user):
        raise ValidationError({"user": "团队成员应为招商工作人员。"})
    with transaction.atomic():
        locked = _locked(lead, actor)
        if remove:
            deleted, _ = LeadMember.objects.filter(lead=locked, user=user).delete()
            if deleted:
                pipeline.event(locked, action=EventAction.MEMBER, actor=actor, note=f"移出：{user}")
            return locked
        _, created = LeadMember.objects.update_or_create(
            lead=locked, user=user, defaults={"role": role.strip()[:60]}
        )
        if created:
            pipeline.event(
                locked, action=EventAction.MEMBER, actor=actor, note=f"加入：{user} {role}".strip()
            )
            notify_about(
                [user], locked, f"您已加入招商项目：{locked.company}", f"{locked.reference} {role}"
            )
    return locked


def lead_document_add(*, lead: Lead, actor: Any, upload: Any, kind: str) -> LeadDocument:
    """Store an evidence document, checked by its content."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "请选择材料类型。"})
    try:
        extension = attachment_check(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with transaction.atomic():
        locked = _locked(lead, actor)
        if locked.documents.count() >= MAX_DOCUMENTS:
            raise ValidationError({"file": f"每个项目最多{MAX_DOCUMENTS}份材料。"})
        document = LeadDocument.objects.create(
            lead=locked,
            kind=kind,
            file=upload,
            original_name=(getattr(upload, "name", "") or f"材料.{extension}")[:200],
            content_type=ATTACHMENT_MIME[extension],
            size=upload.size,
            uploaded_by=actor,
        )
        pipeline.event(
            locked,
            action=EventAction.DOCUMENT,
            actor=actor,
            note=f"{DocumentKind(kind).label}：{document.original_name}",
        )
    return document


# --- the nodes ------------------------------------------------------------------------------


def _after_move(actor: Any) -> Any:
    def after(lead: Lead, source: str, target: str) -> None:
        people = [lead.owner]
        node = LeadNode.objects.filter(lead=lead, stage=lead.next_stage or "").first()
        if node is not None:
            people.append(node.owner)
        people = [p for p in people if p is not None and p.pk != getattr(actor, "pk", None)]
        title = f"招商项目{Stage(target).label}：{lead.company}"
        body = f"{lead.reference}由“{Stage(source).label}”到“{Stage(target).label}”。"
        if target == Stage.TERMINATED:
            body += f"原因：{lead.terminated_reason}"
        notify_about(people, lead, title, body)
        if target in (Stage.SIGNED, Stage.REGISTERED, Stage.PRODUCING, Stage.TERMINATED):
            leads_users = [
                u for u in investment_leads_users() if u.pk != getattr(actor, "pk", None)
            ]
            notify_about(leads_users, lead, title, body)

    return after


def lead_advance(
    *,
    lead: Lead,
    actor: Any,
    stage: str | None = None,
    note: str = "",
    credit_code: str = "",
    scale: str = "",
) -> Lead:
    """Move the lead one node on; at 注册 the enterprise joins the platform (`credit_code`)."""
    from qifu.investment.services.registration import register_enterprise

    def step(locked: Lead, target: str) -> None:
        if target == Stage.REGISTERED:
            register_enterprise(lead=locked, actor=actor, credit_code=credit_code, scale=scale)

    return pipeline.transition(
        lead=lead,
        action="advance",
        actor=actor,
        note=note.strip(),
        expected_target=stage or None,
        step=step,
        after=_after_move(actor),
    )


def lead_terminate(*, lead: Lead, actor: Any, reason: str) -> Lead:
    """End a lead (终止) with a reason; a team lead may reopen it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写终止原因。"})

    def step(locked: Lead, target: str) -> None:
        locked.terminated_reason = reason[:500]

    return pipeline.transition(
        lead=lead,
        action="terminate",
        actor=actor,
        note=reason,
        step=step,
        after=_after_move(actor),
    )


def lead_reopen(*, lead: Lead, actor: Any, note: str = "") -> Lead:
    """Take a terminated lead up again at the node it left."""
    return pipeline.transition(
        lead=lead, action="reopen", actor=actor, note=note.strip(), after=_after_move(actor)
    )


def amount_band(amount: Decimal | None) -> str:
    """The amount bands of the statistics (万元)."""
    if amount is None:
        return "未填写"
    if amount < 5000:
        return "5000万元以下"
    if amount < 10000:
        return "5000万–1亿元"
    if amount < 50000:
        return "1亿–5亿元"
    return "5亿元及以上"
