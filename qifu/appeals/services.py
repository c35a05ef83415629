"""Every write to an appeal goes through here: one locked, audited transition per action.

The workflow is data: `ALLOWED` says in which stages each action may happen. `_transition()`
locks the row, refuses what the table forbids (TransitionNotAllowed → HTTP 409), writes the
AppealEvent that is the timeline, the audit trail and the source of statistics, and queues the
notifications to be sent after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.appeals.models import (
    AWAITING_DISPATCH,
    OPEN_STAGES,
    Appeal,
    AppealCategory,
    AppealEvent,
    Assignment,
    AssignmentOutcome,
    Channel,
    Evaluation,
    Extension,
    ExtensionStatus,
    Satisfaction,
    Stage,
)
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_KINDS as ATTACHMENT_KINDS
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import TransitionNotAllowed as BaseTransitionNotAllowed
from qifu.workdays.calendar import deadline_after

# Measures art. 16: dispatch the same day (17:00 rule), respond within 3 working days of the
# dispatch, follow up by phone within 2 working days of the response.
RESPOND_WORKING_DAYS = 3
FOLLOWUP_WORKING_DAYS = 2
# Measures art. 17: unsatisfied with the same department's answer more than 2 times → 督办件.
SUPERVISION_THRESHOLD = 3
MAX_EXTENSION_WORKING_DAYS = 15

ACTION_LABELS = {
    "file": "提交诉求",
    "record": "登记诉求",
    "triage": "研判",
    "dispatch": "派发",
    "accept": "签收",
    "contact": "联系企业",
    "return": "退回",
    "extend": "申请延期",
    "extension_approved": "同意延期",
    "extension_refused": "不同意延期",
    "respond": "应答",
    "followup": "电话回访",
    "evaluate": "企业评价",
    "supervise": "列入督办",
    "close": "办结",
    "merge": "合并重复诉求",
    "merged": "并入其他诉求",
    "note": "内部备注",
    "overdue": "超期",
    "remind": "催办",
    "deadline_recomputed": "期限调整",
}

ALLOWED: dict[str, frozenset[str]] = {
    "triage": frozenset(AWAITING_DISPATCH),
    "dispatch": frozenset(AWAITING_DISPATCH),
    "accept": frozenset({Stage.DISPATCHED}),
    "contact": frozenset({Stage.DISPATCHED}),
    "return": frozenset({Stage.DISPATCHED}),
    "extend": frozenset({Stage.DISPATCHED}),
    "extension_decide": frozenset({Stage.DISPATCHED}),
    "respond": frozenset({Stage.DISPATCHED}),
    "followup": frozenset({Stage.RESPONDED}),
    "evaluate": frozenset({Stage.RESPONDED, Stage.FOLLOWED_UP}),
    "supervise": frozenset(OPEN_STAGES),
    "close": frozenset({Stage.FOLLOWED_UP}),
    "merge": frozenset(AWAITING_DISPATCH),
    "note": frozenset(OPEN_STAGES),
    "remind": frozenset(OPEN_STAGES),
    # A year's holidays changed: qifu/appeals/deadlines.py redoes the current stage's deadline.
    "deadline_recomputed": frozenset(OPEN_STAGES),
}


class TransitionNotAllowed(BaseTransitionNotAllowed):
    """The appeal's current stage does not allow this action (HTTP 409)."""

    def __init__(self, appeal: Appeal, action: str, message: str = "") -> None:
        self.appeal = appeal
        self.action = action
        label = ACTION_LABELS.get(action, action)
        super().__init__(
            message
            or f"诉求当前处于“{Stage(appeal.stage).label}”环节，不能执行“{label}”。"
            "可能已被他人处理，请刷新后查看。"
        )


# --- who may act -----------------------------------------------------------------------------


def is_platform_staff(user: Any) -> bool:
    return bool(user.is_superuser or user.has_role(Role.PLATFORM_STAFF))


def check_platform_staff(user: Any) -> None:
    if not is_platform_staff(user):
        raise PermissionDenied("只有平台工作人员可以执行此操作。")


def check_handling_department(user: Any, appeal: Appeal) -> None:
    if user.is_superuser:
        return
    if not (
        user.is_government and user.department_id and user.department_id == appeal.department_id
    ):
        raise PermissionDenied("只有承办部门可以执行此操作。")


def check_own_enterprise(user: Any, appeal: Appeal) -> None:
    if not (user.enterprise_id and user.enterprise_id == appeal.enterprise_id):
        raise PermissionDenied("只有提出诉求的企业可以评价。")


def actor_role_label(user: Any) -> str:
    if user is None:
        return "系统"
    if user.enterprise_id:
        return "企业"
    if user.has_role(Role.PLATFORM_STAFF):
        return "平台工作人员"
    if user.department_id:
        return user.department.display_name
    if user.is_superuser:
        return "平台管理员"
    return ""


# --- the transition --------------------------------------------------------------------------


@dataclass
class _Pending:
    callbacks: list[Callable[[], None]]


@contextmanager
def _transition(appeal_id: int, action: str) -> Iterator[tuple[Appeal, _Pending]]:
    """Lock the appeal, check the table, and run the caller's change inside one transaction."""
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("department", "enterprise", "category")
            .get(pk=appeal_id)
        )
        if appeal.stage not in ALLOWED[action]:
            raise TransitionNotAllowed(appeal, action)
        pending = _Pending(callbacks=[])
        yield appeal, pending
    # Notifications only after the transaction commits (never for a rolled-back change).
    for callback in pending.callbacks:
        transaction.on_commit(callback)


def _event(
    appeal: Appeal,
    *,
    action: str,
    actor: Any,
    stage_from: str,
    note: str = "",
    is_public: bool = True,
    department: Department | None = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AppealEvent:
    event = AppealEvent.objects.create(
        appeal=appeal,
        at=at or timezone.now(),
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=actor_role_label(actor),
        department=department or appeal.department,
        stage_from=stage_from,
        stage_to=appeal.stage,
        note=note,
        is_public=is_public,
        data=data or {},
    )
    audit_record(
        action=f"appeals.{action}",
        actor=actor,
        target=appeal,
        summary=f"{appeal.number} {ACTION_LABELS.get(action, action)}",
        data={"stage_from": stage_from, "stage_to": appeal.stage},
    )
    return event


def _notify(pending: _Pending, code: str, appeal: Appeal, **extra: Any) -> None:
    from qifu.appeals import notifications

    appeal_id = appeal.pk
    pending.callbacks.append(lambda: notifications.send(code, appeal_id=appeal_id, **extra))


# --- intake (录入) ----------------------------------------------------------------------------


def _next_number(received_at: dt.datetime, pk: int) -> str:
    local = timezone.localtime(received_at)
    return f"SQ{local:%Y%m%d}{pk:07d}"[:20]


def appeal_file(
    *,
    user: User,
    title: str,
    content: str,
    category: AppealCategory,
    contact_name: str = "",
    contact_phone: str = "",
    enterprise: Enterprise | None = None,
    received_at: dt.datetime | None = None,
    channel: str | None = None,
    idempotency_key: str | None = None,
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
) -> tuple[Appeal, bool]:
    """File an appeal (enterprise) or record one received by phone or in person (platform staff).

    Returns (appeal, created); a repeated idempotency key returns the first appeal unchanged.
    """
    now = timezone.now()
    staff = is_platform_staff(user) and not user.enterprise_id
    errors: dict[str, str] = {}
    if staff:
        if enterprise is None:
            errors["enterprise"] = "请选择诉求企业（统一社会信用代码）。"
        received = received_at or now
        if received > now + dt.timedelta(minutes=5):
            errors["received_at"] = "受理时间不能晚于当前时间。"
        action = "record"
        chosen_channel = channel or Channel.PHONE
    else:
        if not user.enterprise_id:
            raise PermissionDenied("只有企业用户或平台工作人员可以提交诉求。")
        enterprise = user.enterprise
        received = now
        action = "file"
        chosen_channel = channel or Channel.WEB
    if chosen_channel not in Channel.values:
        errors["channel"] = "未知的受理渠道。"
    if not title.strip():
        errors["title"] = "请填写标题。"
    if not content.strip():
        errors["content"] = "请填写诉求内容。"
    if not category.is_active:
        errors["category"] = "该类别已停用，请选择其他类别。"
    if errors:
        raise ValidationError(errors)

    if idempotency_key:
        existing = Appeal.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False

    assert enterprise is not None  # checked above for staff; the user's own otherwise
    deadline = deadline_after(start=received, working_days=0)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                number=f"tmp-{now.timestamp()}-{user.pk}"[:20],
                enterprise=enterprise,
                created_by=user,
                channel=chosen_channel,
                category=category,
                title=title.strip()[:100],
                content=content.strip(),
                contact_name=contact_name.strip(),
                contact_phone=contact_phone.strip(),
                address=address,
                latitude=latitude,
                longitude=longitude,
                stage=Stage.RECEIVED,
                received_at=received,
                dispatch_due_at=deadline.due_at,
                calendar_warning=deadline.calendar_warning or "",
                idempotency_key=idempotency_key or None,
                search_text=f"{title}\n{content}",
            )
            appeal.number = _next_number(received, appeal.pk)
            appeal.save(update_fields=["number"])
            _event(
                appeal,
                action=action,
                actor=user,
                stage_from="",
                at=received if staff else now,
                data={"channel": chosen_channel},
            )
    except IntegrityError:
        # A concurrent retry with the same key won the race: return its appeal.
        if idempotency_key:
            existing = Appeal.objects.filter(
                created_by=user, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return existing, False
        raise
    appeal_id = appeal.pk
    transaction.on_commit(lambda: _send_after_commit("filed", appeal_id))
    return appeal, True


def _send_after_commit(code: str, appeal_id: int, **extra: Any) -> None:
    from qifu.appeals import notifications

    notifications.send(code, appeal_id=appeal_id, **extra)


# --- triage and dispatch (研判, 派发) -------------------------------------------------------------


def appeal_triage(
    *,
    appeal: Appeal,
    user: User,
    category: AppealCategory,
    department: Department | None,
    note: str = "",
) -> Appeal:
    """Record the triage: the category and the department proposed for dispatch."""
    check_platform_staff(user)
    with _transition(appeal.pk, "triage") as (locked, _pending):
        stage_from = locked.stage
        locked.category = category
        locked.department = department
        locked.stage = Stage.TRIAGED
        locked.save(update_fields=["category", "department", "stage", "updated_at"])
        _event(
            locked,
            action="triage",
            actor=user,
            stage_from=stage_from,
            note=note,
            is_public=False,
            data={"category": category.code, "department": department.code if department else None},
        )
    return locked


def appeal_dispatch(
    *,
    appeal: Appeal,
    user: User,
    department: Department,
    note: str = "",
    co_departments: list[Department] | None = None,
) -> Appeal:
    """Dispatch to one department (optionally others in co-operation); 3 working days to respond."""
    check_platform_staff(user)
    if not department.is_active:
        raise ValidationError({"department": "该部门已停用。"})
    with _transition(appeal.pk, "dispatch") as (locked, pending):
        now = timezone.now()
        stage_from = locked.stage
        deadline = deadline_after(start=now, working_days=RESPOND_WORKING_DAYS)
        locked.dispatch_count += 1
        assignment = Assignment.objects.create(
            appeal=locked,
            department=department,
            round=locked.dispatch_count,
            dispatched_by=user,
            dispatched_at=now,
            note=note,
            respond_due_at=deadline.due_at,
        )
        if co_departments:
            assignment.co_departments.set([d for d in co_departments if d != department])
        if locked.dispatch_due_at and now > locked.dispatch_due_at:
            locked.was_overdue = True
        locked.department = department
        locked.stage = Stage.DISPATCHED
        locked.dispatched_at = now
        locked.accepted_at = None
        locked.respond_due_at = deadline.due_at
        locked.calendar_warning = deadline.calendar_warning or ""
        locked.save()
        _event(
            locked,
            action="dispatch",
            actor=user,
            stage_from=stage_from,
            note=note,
            department=department,
            data={
                "round": assignment.round,
                "respond_due_at": deadline.due_at.isoformat(),
                "co_departments": [d.code for d in co_departments or []],
            },
        )
        _notify(pending, "dispatched", locked)
    return locked


def _current_assignment(appeal: Appeal) -> Assignment:
    assignment = appeal.assignments.order_by("-round").first()
    if assignment is None:  # pragma: no cover - a dispatched appeal always has one
        raise TransitionNotAllowed(appeal, "accept", "该诉求尚未派发。")
    return assignment


# --- handling by the department (诉求应答) -------------------------------------------------------


def appeal_accept(*, appeal: Appeal, user: User) -> Appeal:
    """签收: the department confirms it has taken the order."""
    with _transition(appeal.pk, "accept") as (locked, _pending):
        check_handling_department(user, locked)
        if locked.accepted_at is not None:
            raise TransitionNotAllowed(locked, "accept", "该诉求已签收，无需重复签收。")
        now = timezone.now()
        locked.accepted_at = now
        locked.save(update_fields=["accepted_at", "updated_at"])
        Assignment.objects.filter(pk=_current_assignment(locked).pk).update(
            accepted_at=now, accepted_by=user
        )
        _event(locked, action="accept", actor=user, stage_from=locked.stage)
    return locked


CONTACT_WAYS = {"phone": "电话", "visit": "上门", "meeting": "约谈", "online": "线上"}


def appeal_contact(
    *, appeal: Appeal, user: User, way: str, content: str, contacted_at: dt.datetime | None = None
) -> Appeal:
    """Record contact with the enterprise (measures art. 16: contact it promptly)."""
    errors = {}
    if way not in CONTACT_WAYS:
        errors["way"] = "请选择联系方式。"
    if not content.strip():
        errors["content"] = "请填写联系情况。"
    when = contacted_at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        errors["contacted_at"] = "联系时间不能晚于当前时间。"
    if errors:
        raise ValidationError(errors)
    with _transition(appeal.pk, "contact") as (locked, _pending):
        check_handling_department(user, locked)
        assignment = _current_assignment(locked)
        if assignment.first_contact_at is None:
            Assignment.objects.filter(pk=assignment.pk).update(first_contact_at=when)
        if locked.accepted_at is None:
            locked.accepted_at = when
            locked.save(update_fields=["accepted_at", "updated_at"])
        _event(
            locked,
            action="contact",
            actor=user,
            stage_from=locked.stage,
            note=f"{CONTACT_WAYS[way]}联系：{content.strip()}",
            data={"way": way, "contacted_at": when.isoformat()},
        )
    return locked


def appeal_return(*, appeal: Appeal, user: User, reason: str) -> Appeal:
    """退回: a misrouted order goes back to the platform with a reason (counted as bouncing)."""
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请填写退回理由（至少4个字），说明应由哪个部门承办。"})
    with _transition(appeal.pk, "return") as (locked, pending):
        check_handling_department(user, locked)
        now = timezone.now()
        department = locked.department
        Assignment.objects.filter(pk=_current_assignment(locked).pk).update(
            returned_at=now, return_reason=reason.strip(), outcome=AssignmentOutcome.RETURNED
        )
        stage_from = locked.stage
        deadline = deadline_after(start=now, working_days=0)
        locked.stage = Stage.TRIAGED
        locked.department = None
        locked.accepted_at = None
        locked.respond_due_at = None
        locked.dispatch_due_at = deadline.due_at
        locked.calendar_warning = deadline.calendar_warning or ""
        locked.save()
        _event(
            locked,
            action="return",
            actor=user,
            stage_from=stage_from,
            note=reason.strip(),
            is_public=False,
            department=department,
        )
        _notify(pending, "returned", locked)
    return locked


def appeal_extension_request(
    *, appeal: Appeal, user: User, working_days: int, reason: str
) -> Extension:
    """延期: the department asks platform staff for more working days."""
    errors = {}
    if not 1 <= working_days <= MAX_EXTENSION_WORKING_DAYS:
        errors["working_days"] = f"延长天数应为1至{MAX_EXTENSION_WORKING_DAYS}个工作日。"
    if len(reason.strip()) < 4:
        errors["reason"] = "请说明延期理由。"
    if errors:
        raise ValidationError(errors)
    with _transition(appeal.pk, "extend") as (locked, pending):
        check_handling_department(user, locked)
        assignment = _current_assignment(locked)
        if assignment.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise TransitionNotAllowed(locked, "extend", "已有待审批的延期申请。")
        extension = Extension.objects.create(
            appeal=locked,
            assignment=assignment,
            requested_by=user,
            working_days=working_days,
            reason=reason.strip(),
        )
        _event(
            locked,
            action="extend",
            actor=user,
            stage_from=locked.stage,
            note=f"申请延期{working_days}个工作日：{reason.strip()}",
            is_public=False,
            data={"extension": extension.pk, "working_days": working_days},
        )
        _notify(pending, "extension_requested", locked)
    return extension


def appeal_extension_decide(
    *, extension: Extension, user: User, approve: bool, note: str = ""
) -> Extension:
    """Platform staff approve (new deadline from the current one) or refuse an extension."""
    check_platform_staff(user)
    with _transition(extension.appeal_id, "extension_decide") as (locked, pending):
        ext = Extension.objects.select_for_update().get(pk=extension.pk)
        if ext.status != ExtensionStatus.PENDING:
            raise TransitionNotAllowed(locked, "extension_decide", "该延期申请已处理。")
        now = timezone.now()
        ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        ext.decided_by = user
        ext.decided_at = now
        ext.decision_note = note
        if approve:
            base = max(locked.respond_due_at or now, now)
            deadline = deadline_after(start=base, working_days=ext.working_days)
            ext.new_due_at = deadline.due_at
            locked.respond_due_at = deadline.due_at
            locked.save(update_fields=["respond_due_at", "updated_at"])
            Assignment.objects.filter(pk=ext.assignment_id).update(respond_due_at=deadline.due_at)
        ext.save()
        action = "extension_approved" if approve else "extension_refused"
        _event(
            locked,
            action=action,
            actor=user,
            stage_from=locked.stage,
            note=note,
            is_public=approve,
            data={
                "extension": ext.pk,
                "new_due_at": ext.new_due_at.isoformat() if ext.new_due_at else None,
            },
        )
        _notify(pending, action, locked)
    return ext


def appeal_respond(*, appeal: Appeal, user: User, result: str) -> Appeal:
    """诉求应答: the department's result, which the enterprise sees; follow-up within 2 days."""
    if len(result.strip()) < 10:
        raise ValidationError({"result": "请填写办理结果（至少10个字），说明如何解决或答复依据。"})
    with _transition(appeal.pk, "respond") as (locked, pending):
        check_handling_department(user, locked)
        now = timezone.now()
        stage_from = locked.stage
        deadline = deadline_after(start=now, working_days=FOLLOWUP_WORKING_DAYS)
        if locked.respond_due_at and now > locked.respond_due_at:
            locked.was_overdue = True
        Assignment.objects.filter(pk=_current_assignment(locked).pk).update(
            responded_at=now, result=result.strip()
        )
        if locked.accepted_at is None:
            locked.accepted_at = now
        locked.stage = Stage.RESPONDED
        locked.responded_at = now
        locked.response = result.strip()
        locked.followup_due_at = deadline.due_at
        locked.calendar_warning = deadline.calendar_warning or ""
        locked.save()
        _event(locked, action="respond", actor=user, stage_from=stage_from, note=result.strip())
        _notify(pending, "responded", locked)
    return locked


# --- follow-up, evaluation, supervision, close (电话回访, 办结, 督办) ---------------------------


def _parse_satisfaction(satisfied: bool, level: str | None) -> str:
    if level:
        if level not in Satisfaction.values:
            raise ValidationError({"level": "满意度应为满意、基本满意或不满意。"})
        if (level != Satisfaction.UNSATISFIED) != bool(satisfied):
            raise ValidationError({"level": "满意度与“是否满意”不一致。"})
        return level
    return Satisfaction.SATISFIED if satisfied else Satisfaction.UNSATISFIED


def _check_score(score: int) -> None:
    if not 1 <= int(score) <= 5:
        raise ValidationError({"score": "评分应为1至5分。"})


def _record_outcome(
    locked: Appeal,
    *,
    user: User,
    source: str,
    satisfaction: str,
    score: int,
    comment: str,
    pending: _Pending,
) -> Evaluation:
    assignment = locked.assignments.order_by("-round").first()
    evaluation = Evaluation.objects.create(
        appeal=locked,
        assignment=assignment,
        source=source,
        satisfaction=satisfaction,
        score=score,
        comment=comment.strip(),
        by=user,
    )
    satisfied = satisfaction != Satisfaction.UNSATISFIED
    if assignment is not None:
        Assignment.objects.filter(pk=assignment.pk).update(
            outcome=AssignmentOutcome.SATISFIED if satisfied else AssignmentOutcome.UNSATISFIED
        )
    stage_from = locked.stage
    now = evaluation.created_at  # the stored start of a re-dispatch deadline (deadlines.py)
    if satisfied:
        locked.stage = Stage.FOLLOWED_UP
        locked.followed_up_at = locked.followed_up_at or now
    else:
        # Unsatisfied: back to triage for re-dispatch, with a new same-day dispatch deadline.
        deadline = deadline_after(start=now, working_days=0)
        locked.stage = Stage.TRIAGED
        locked.dispatch_due_at = deadline.due_at
        locked.calendar_warning = deadline.calendar_warning or ""
        locked.followup_due_at = None
        locked.respond_due_at = None
    locked.save()
    action = "followup" if source == Evaluation.Source.FOLLOWUP else "evaluate"
    _event(
        locked,
        action=action,
        actor=user,
        stage_from=stage_from,
        note=f"{Satisfaction(satisfaction).label}，{score}分。{comment.strip()}".strip(),
        department=assignment.department if assignment else None,
        data={"satisfaction": satisfaction, "score": score},
    )
    if not satisfied and assignment is not None:
        _maybe_supervise(locked, assignment.department, user=user, pending=pending)
        _notify(pending, "unsatisfied", locked)
    return evaluation


def _maybe_supervise(
    locked: Appeal, department: Department, *, user: User | None, pending: _Pending
) -> None:
    """Measures art. 17: the 3rd dissatisfaction with the same department makes a 督办件."""
    if locked.is_supervised:
        return
    count = locked.assignments.filter(
        department=department, outcome=AssignmentOutcome.UNSATISFIED
    ).count()
    if count >= SUPERVISION_THRESHOLD:
        _supervise(
            locked,
            user=user,
            pending=pending,
            note=f"同一诉求重派{department.display_name}后，企业第{count}次不满意，列入督办件。",
        )


def _supervise(locked: Appeal, *, user: User | None, pending: _Pending, note: str) -> None:
    locked.is_supervised = True
    locked.supervised_at = timezone.now()
    locked.save(update_fields=["is_supervised", "supervised_at", "updated_at"])
    _event(locked, action="supervise", actor=user, stage_from=locked.stage, note=note)
    _notify(pending, "supervised", locked)


def appeal_followup(
    *,
    appeal: Appeal,
    user: User,
    satisfied: bool,
    score: int,
    comment: str = "",
    level: str | None = None,
) -> Evaluation:
    """电话回访 by platform staff, with the satisfaction survey."""
    check_platform_staff(user)
    satisfaction = _parse_satisfaction(satisfied, level)
    _check_score(score)
    with _transition(appeal.pk, "followup") as (locked, pending):
        return _record_outcome(
            locked,
            user=user,
            source=Evaluation.Source.FOLLOWUP,
            satisfaction=satisfaction,
            score=int(score),
            comment=comment,
            pending=pending,
        )


def appeal_evaluate(
    *,
    appeal: Appeal,
    user: User,
    satisfied: bool,
    score: int,
    comment: str = "",
    level: str | None = None,
) -> Evaluation:
    """The enterprise evaluates the response online (once the department has responded)."""
    check_own_enterprise(user, appeal)
    satisfaction = _parse_satisfaction(satisfied, level)
    _check_score(score)
    with _transition(appeal.pk, "evaluate") as (locked, pending):
        return _record_outcome(
            locked,
            user=user,
            source=Evaluation.Source.ENTERPRISE,
            satisfaction=satisfaction,
            score=int(score),
            comment=comment,
            pending=pending,
        )


def appeal_supervise(*, appeal: Appeal, user: User, note: str) -> Appeal:
    """A supervisor or platform staff put an appeal under supervision by hand."""
    if not (is_platform_staff(user) or user.has_role(Role.SUPERVISOR)):
        raise PermissionDenied("只有平台工作人员或督查领导可以列入督办。")
    with _transition(appeal.pk, "supervise") as (locked, pending):
        if locked.is_supervised:
            raise TransitionNotAllowed(locked, "supervise", "该诉求已是督办件。")
        _supervise(locked, user=user, pending=pending, note=note or "列入督办。")
    return locked


def appeal_close(*, appeal: Appeal, user: User, note: str = "") -> Appeal:
    """办结 after a satisfied follow-up or evaluation."""
    check_platform_staff(user)
    with _transition(appeal.pk, "close") as (locked, pending):
        latest = locked.evaluations.order_by("-created_at", "-id").first()
        if latest is None or not latest.satisfied:
            raise TransitionNotAllowed(
                locked, "close", "企业尚未表示满意，不能办结（督办件须督促办理直至企业满意）。"
            )
        stage_from = locked.stage
        locked.stage = Stage.CLOSED
        locked.closed_at = timezone.now()
        locked.save()
        _event(locked, action="close", actor=user, stage_from=stage_from, note=note)
        _notify(pending, "closed", locked)
    return locked


def appeal_merge(*, duplicate: Appeal, into: Appeal, user: User, note: str = "") -> Appeal:
    """Merge a duplicate of the same enterprise into another open appeal; both histories stay."""
    check_platform_staff(user)
    if duplicate.pk == into.pk:
        raise ValidationError({"into": "不能合并到自身。"})
    if duplicate.enterprise_id != into.enterprise_id:
        raise ValidationError({"into": "只能合并同一企业的诉求。"})
    if into.stage == Stage.CLOSED or into.merged_into_id:
        raise ValidationError({"into": "目标诉求已办结或已被合并。"})
    with _transition(duplicate.pk, "merge") as (locked, _pending):
        stage_from = locked.stage
        locked.merged_into = into
        locked.stage = Stage.CLOSED
        locked.closed_at = timezone.now()
        locked.save()
        _event(
            locked,
            action="merged",
            actor=user,
            stage_from=stage_from,
            note=f"与诉求{into.number}重复，已合并办理。{note}".strip(),
            data={"into": into.number},
        )
        _event(
            into,
            action="merge",
            actor=user,
            stage_from=into.stage,
            note=f"合并重复诉求{locked.number}：{locked.title}",
            data={"duplicate": locked.number},
        )
    return locked


def appeal_note(*, appeal: Appeal, user: User, note: str) -> AppealEvent:
    """An internal note between platform and department; never shown to the enterprise."""
    if not note.strip():
        raise ValidationError({"note": "请填写备注内容。"})
    with _transition(appeal.pk, "note") as (locked, _pending):
        # Checked on the locked row: the caller's copy may predate a dispatch.
        if not (
            is_platform_staff(user)
            or (user.is_government and user.department_id == locked.department_id)
        ):
            raise PermissionDenied("无权添加内部备注。")
        return _event(
            locked,
            action="note",
            actor=user,
            stage_from=locked.stage,
            note=note.strip(),
            is_public=False,
        )


# --- attachments (附件) -------------------------------------------------------------------------

MAX_ATTACHMENTS = 5


def appeal_attachments_add(
    *,
    appeal: Appeal,
    user: User,
    files: list[Any],
    is_public: bool = True,
    event: AppealEvent | None = None,
) -> list[Any]:
    """Store files on an appeal after checking each by content; internal ones stay internal."""
    import uuid

    from django.core.files.base import ContentFile

    from qifu.appeals.models import Attachment

    if not (
        is_platform_staff(user)
        or (user.enterprise_id and user.enterprise_id == appeal.enterprise_id)
        or (
            user.is_government and user.department_id and user.department_id == appeal.department_id
        )
    ):
        raise PermissionDenied("无权为该诉求上传附件。")
    if user.enterprise_id and not is_public:
        raise PermissionDenied("企业上传的附件均对办理部门可见。")
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": f"每次最多上传{MAX_ATTACHMENTS}个文件。"})
    checked = []
    for upload in files:
        try:
            checked.append((upload, attachment_check(upload)))
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from error
    created = []
    with transaction.atomic():
        for upload, extension in checked:
            upload.seek(0)
            attachment = Attachment(
                appeal=appeal,
                event=event,
                original_name=(upload.name or "附件")[-200:],
                content_type=ATTACHMENT_MIME[extension],
                size=upload.size,
                uploaded_by=user,
                is_public=is_public,
            )
            # A random stored name: the original one is only shown, never used as a path.
            attachment.file.save(
                f"{uuid.uuid4().hex}.{extension}", ContentFile(upload.read()), save=False
            )
            attachment.save()
            created.append(attachment)
        audit_record(
            action="appeals.attachments_add",
            actor=user,
            target=appeal,
            summary=f"{appeal.number} 上传附件{len(created)}个",
            data={"names": [a.original_name for a in created], "is_public": is_public},
        )
    return created
