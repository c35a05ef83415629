"""Writes to leads and projects: creating, assigning, contacting, planning, the team, evidence,
duplicates, and moving through the nodes — every one a step of the pipeline's process
(`qifu.investment.pipeline.PROCESS`), so each is locked, checked, recorded and audited alike."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Section, User
from qifu.accounts.validators import normalize_credit_code
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import Step, TransitionNotAllowed
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
from qifu.investment.pipeline import PROCESS, fix_due
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


def company_key(name: str) -> str:
    """A company name without spaces, brackets and the legal-form suffix, for duplicates."""
    return _COMPANY_NOISE.sub("", (name or "").strip())


def find_duplicate(
    *, company: str, credit_code: str = "", exclude: int | None = None
) -> Lead | None:
    """An earlier lead of the same company (by credit code or name)."""
    qs = Lead.objects.exclude(pk=exclude) if exclude else Lead.objects.all()
    if credit_code:
        match = qs.filter(credit_code=credit_code).order_by("intent_at").first()
        if match is not None:
            return match
    key = company_key(company)
    if len(key) < 4:
        return None
    for lead in qs.filter(company__contains=key[:4]).order_by("intent_at")[:50]:
        if company_key(lead.company) == key:
            return lead
    return None


class _Unchanged(Exception):
    """Raised inside a step that turns out to change nothing: no history row, no audit."""


def lead_insert(*, fields: dict[str, Any], actor: Any, action: str, note: str = "") -> Lead:
    """Number, save and plan a new lead, flag a duplicate, write its first history row."""
    intent_at = fields.pop("intent_at", None) or timezone.now()
    lead = Lead(intent_at=intent_at, stage_changed_at=intent_at, reference="", **fields)
    if lead.credit_code:
        lead.credit_code = normalize_credit_code(lead.credit_code)
    lead.duplicate_of = find_duplicate(company=lead.company, credit_code=lead.credit_code)
    if lead.owner_id:
        lead.owner_assigned_at = intent_at
    lead.full_clean(exclude=["reference"])
    plan = pipeline.default_plan(timezone.localdate(intent_at))
    with PROCESS.start(lead, action, actor=actor, state=Stage.LEAD) as step:
        lead.reference = f"tmp-{uuid.uuid4().hex[:16]}"
        lead.save()
        # Unique by construction: the year of registration and the row's own number.
        lead.reference = f"ZS{timezone.localtime(intent_at):%Y}-{lead.pk:05d}"
        if not getattr(actor, "is_authenticated", False):
            step.anonymous_as = pipeline.INVESTOR
        step.at = intent_at
        step.note = note
        LeadNode.objects.bulk_create(
            [LeadNode(lead=lead, stage=Stage.LEAD, owner=lead.owner, reached_at=intent_at)]
            + [
                LeadNode(lead=lead, stage=stage, owner=lead.owner, planned_on=day)
                for stage, day in plan.items()
            ]
        )
        step.fix_deadline("next_due_at", pipeline.node_due_at(plan[Stage.CONTACT]))
        if lead.duplicate_of is not None:
            step.record(
                EventAction.DUPLICATE,
                note=f"与 {lead.duplicate_of.reference} {lead.duplicate_of.company} 疑似重复",
                after=True,
                is_public=False,
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
    with transaction.atomic():
        lead = lead_insert(fields=fields, actor=actor, action=EventAction.CREATE)
        if owner is not None and owner.pk != actor.pk:
            notify_about(
                [owner],
                lead,
                f"新招商项目：{lead.company}",
                f"您被确定为{lead.reference}的负责人。",
            )
    return lead


def _step_or_unchanged(run: Any) -> Any:
    try:
        return run()
    except _Unchanged as unchanged:
        return unchanged.args[0]


def lead_update(*, lead: Lead, actor: Any, changes: dict[str, Any]) -> Lead:
    """Edit a lead's facts (company, contact, amounts, chain, landing place)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")

    def run() -> Lead:
        with PROCESS.act(lead, "update", actor=actor) as step:
            locked: Lead = step.obj
            changed = [n for n, v in changes.items() if getattr(locked, n) != v]
            if not changed:
                raise _Unchanged(locked)
            for name in changed:
                setattr(locked, name, changes[name])
            if "credit_code" in changed and locked.credit_code:
                locked.credit_code = normalize_credit_code(locked.credit_code)
            locked.full_clean()
            labels = "、".join(
                str(getattr(Lead._meta.get_field(n), "verbose_name", n)) for n in changed
            )
            step.note = f"修改：{labels}"
        return locked

    return _step_or_unchanged(run)  # type: ignore[no-any-return]


def lead_assign(*, lead: Lead, actor: Any, owner: User, note: str = "") -> Lead:
    """Make `owner` the responsible person; the plan's open nodes follow unless set by hand."""
    if not access.is_investment_staff(owner) or not owner.is_active:
        raise ValidationError({"owner": "负责人应为在岗的招商工作人员。"})

    def run() -> Lead:
        with PROCESS.act(lead, "assign", actor=actor) as step:
            locked: Lead = step.obj
            if locked.owner_id == owner.pk:
                raise _Unchanged(locked)
            previous = locked.owner_id
            locked.owner = owner
            if locked.owner_assigned_at is None:
                locked.owner_assigned_at = step.now
            LeadNode.objects.filter(lead=locked, reached_at__isnull=True).filter(
                Q(owner__isnull=True) | Q(owner_id=previous)
            ).update(owner=owner, updated_at=step.now)
            step.note = note or f"负责人：{owner}"
            step.notify(
                [owner],
                f"您负责的招商项目：{locked.company}",
                f"{locked.reference}已交由您负责。",
            )
        return locked

    return _step_or_unchanged(run)  # type: ignore[no-any-return]


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
    with PROCESS.act(lead, "contact", actor=actor) as step:
        locked: Lead = step.obj
        if locked.first_contact_at is None or contacted_at < locked.first_contact_at:
            locked.first_contact_at = contacted_at
        step.at = contacted_at
        step.note = (
            f"{way or '联系'}（{timezone.localtime(contacted_at):%Y-%m-%d %H:%M}）：{content}"
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

    def run() -> Lead:
        with PROCESS.act(lead, "plan", actor=actor) as step:
            locked: Lead = step.obj
            changed: list[str] = []
            for stage, (owner, day) in plan.items():
                node, _ = LeadNode.objects.get_or_create(lead=locked, stage=stage)
                if node.reached_at is not None:
                    continue  # a reached node's plan is history
                if node.owner_id != (owner.pk if owner else None) or node.planned_on != day:
                    node.owner = owner
                    node.planned_on = day
                    node.save(update_fields=["owner", "planned_on", "updated_at"])
                    label = Stage(stage).label
                    changed.append(f"{label} {day:%Y-%m-%d}" if day else f"{label} 未定")
            if not changed:
                raise _Unchanged(locked)
            fix_due(step)
            step.note = "；".join(changed)
        return locked

    return _step_or_unchanged(run)  # type: ignore[no-any-return]


def lead_member_set(
    *, lead: Lead, actor: Any, user: User, role: str = "", remove: bool = False
) -> Lead:
    """Add (or remove) a team member of the lead."""
    if not access.is_investment_staff(user):
        raise ValidationError({"user": "团队成员应为招商工作人员。"})

    def run() -> Lead:
        with PROCESS.act(lead, "member", actor=actor) as step:
            locked: Lead = step.obj
            if remove:
                deleted, _ = LeadMember.objects.filter(lead=locked, user=user).delete()
                if not deleted:
                    raise _Unchanged(locked)
                step.note = f"移出：{user}"
                return locked
            _, created = LeadMember.objects.update_or_create(
                lead=locked, user=user, defaults={"role": role.strip()[:60]}
            )
            if not created:
                raise _Unchanged(locked)
            step.note = f"加入：{user} {role}".strip()
            step.notify([user], f"您已加入招商项目：{locked.company}", f"{locked.reference} {role}")
        return locked

    return _step_or_unchanged(run)  # type: ignore[no-any-return]


def lead_document_add(*, lead: Lead, actor: Any, upload: Any, kind: str) -> LeadDocument:
    """Store an evidence document, checked by its content."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "请选择材料类型。"})
    try:
        extension = attachment_check(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    with PROCESS.act(lead, "document", actor=actor) as step:
        locked: Lead = step.obj
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
        step.note = f"{DocumentKind(kind).label}：{document.original_name}"
    return document


# --- the nodes ------------------------------------------------------------------------------


def _tell_moved(step: Step, source: str, target: str) -> None:
    """The responsible people hear of every move; the agency's leads of the milestones."""
    lead: Lead = step.obj
    actor_pk = getattr(step.actor, "pk", None)
    title = f"招商项目{Stage(target).label}：{lead.company}"
    body = f"{lead.reference}由“{Stage(source).label}”到“{Stage(target).label}”。"
    if target == Stage.TERMINATED:
        body += f"原因：{lead.terminated_reason}"
    upcoming = pipeline.next_stage(target) if target in NODE_ORDER else None

    def people() -> list[Any]:
        node = LeadNode.objects.filter(lead=lead, stage=upcoming or "").first()
        found = [lead.owner, node.owner if node else None]
        return [p for p in found if p is not None and p.pk != actor_pk]

    step.notify(people, title, body)
    if target in (Stage.SIGNED, Stage.REGISTERED, Stage.PRODUCING, Stage.TERMINATED):
        step.notify(lambda: [u for u in investment_leads_users() if u.pk != actor_pk], title, body)


def _enter(step: Step, target: str) -> None:
    """What entering a node means for the lead: the time, the plan's row, the deadline."""
    lead: Lead = step.obj
    step.go(target)
    lead.stage_changed_at = step.now
    if target == Stage.CONTACT and lead.first_contact_at is None:
        lead.first_contact_at = step.now
    if target in NODE_ORDER:
        node, _ = LeadNode.objects.get_or_create(lead=lead, stage=target)
        if node.reached_at is None:
            node.reached_at = step.now
            node.save(update_fields=["reached_at", "updated_at"])
    fix_due(step, target)


def lead_advance(
    *,
    lead: Lead,
    actor: Any,
    stage: str | None = None,
    note: str = "",
    credit_code: str = "",
    scale: str = "",
) -> Lead:
    """Move the lead one node on; at 注册 the enterprise joins the platform (`credit_code`).
    `stage` (the API's) must be the next node, else 409."""
    from qifu.investment.services.registration import register_enterprise

    with PROCESS.act(lead, "advance", actor=actor) as step:
        locked: Lead = step.obj
        source = locked.stage
        target = pipeline.next_stage(source)
        assert target is not None  # every source of advance has a next node
        if stage and stage != target:
            wanted = Stage(stage).label if stage in Stage.values else stage
            raise TransitionNotAllowed(
                f"项目当前节点为“{Stage(source).label}”，只能推进到“{Stage(target).label}”，"
                f"不能直接到“{wanted}”。"
            )
        if target == Stage.REGISTERED:
            register_enterprise(lead=locked, actor=actor, credit_code=credit_code, scale=scale)
            step.record(
                EventAction.REGISTER,
                note=f"{locked.company}（{locked.credit_code}）入驻平台，建设项目已登记。",
                after=True,
            )
        _enter(step, target)
        step.note = note.strip()
        _tell_moved(step, source, target)
    return locked


def lead_terminate(*, lead: Lead, actor: Any, reason: str) -> Lead:
    """End a lead (终止) with a reason; a team lead may reopen it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写终止原因。"})
    with PROCESS.act(lead, "terminate", actor=actor) as step:
        locked: Lead = step.obj
        source = locked.stage
        locked.terminated_reason = reason[:500]
        locked.terminated_from = source
        locked.stage_changed_at = step.now
        step.fix_deadline("next_due_at", None)
        step.note = reason
        _tell_moved(step, source, Stage.TERMINATED)
    return locked


def lead_reopen(*, lead: Lead, actor: Any, note: str = "") -> Lead:
    """Take a terminated lead up again at the node it left."""
    with PROCESS.act(lead, "reopen", actor=actor) as step:
        locked: Lead = step.obj
        target = locked.terminated_from or Stage.LEAD
        locked.terminated_from = ""
        locked.terminated_reason = ""
        _enter(step, target)
        step.note = note.strip()
        _tell_moved(step, Stage.TERMINATED, target)
    return locked


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
