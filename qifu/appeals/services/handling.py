"""研判, 派发 and the department's 诉求应答: accept, contact, extend, return, respond.

Lateness is never erased (measures, art. 16): every round keeps its statutory limit of 3 working
days in `respond_due_at`; an approved extension is recorded beside it (`extended_due_at`, how
many days and why) and the response records whether it came within the statutory limit and
whether it met the extended one. A return counts against the department that returned the order,
with the time it held it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, User
from qifu.appeals.models import (
    Appeal,
    AppealAction,
    AppealCategory,
    Assignment,
    AssignmentOutcome,
    Extension,
    ExtensionStatus,
    Stage,
)
from qifu.appeals.services.common import (
    CONTACT_WAYS,
    current_assignment,
    max_extension_working_days,
    send_notifications,
)
from qifu.appeals.services.intake import link_in_step
from qifu.appeals.workflow import PROCESS
from qifu.core.workflow import Step, TransitionNotAllowed
from qifu.workdays.calendar import deadline_after

A = AppealAction


def _due(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


# --- 研判 and 派发 -------------------------------------------------------------------------------


def appeal_triage(
    *,
    appeal: Appeal,
    user: User,
    category: AppealCategory,
    department: Department | None,
    note: str = "",
    enterprise: Enterprise | None = None,
) -> Appeal:
    """Record the triage: the category, the conclusion and the department proposed."""
    with PROCESS.act(appeal, A.TRIAGE, actor=user) as step:
        if enterprise is not None:
            link_in_step(step, enterprise)
        step.note, step.data = _judge(step, category=category, department=department)
        step.data["conclusion"] = note.strip()
    return step.obj


def _judge(
    step: Step, *, category: AppealCategory, department: Department | None
) -> tuple[str, dict[str, Any]]:
    """Apply a triage; the enterprise's timeline says what was decided, the clerk's conclusion
    (研判意见) stays internal in the entry's data."""
    if not category.is_active:
        raise ValidationError({"category": "该类别已停用，请选择其他类别。"})
    step.obj.category = category
    step.obj.department = department
    note = f"归类为“{category.name}”" + (f"，拟由{department.name}承办" if department else "")
    data = {"category": category.code, "department": department.code if department else None}
    return note + "。", data


def needs_triage(appeal: Appeal) -> bool:
    """Whether the latest move into 研判 was not a person's judgement (a new appeal, a return, an
    unsatisfied rating): then a dispatch records the 研判 first, so the six stages of article 15
    are always on the record."""
    if appeal.stage == Stage.RECEIVED:
        return True
    last = appeal.events.filter(to_state=Stage.TRIAGED).order_by("-at", "-id").first()
    return last is None or last.action != A.TRIAGE


def appeal_dispatch(
    *,
    appeal: Appeal,
    user: User,
    department: Department,
    note: str = "",
    co_departments: list[Department] | None = None,
    category: AppealCategory | None = None,
    conclusion: str = "",
    enterprise: Enterprise | None = None,
) -> Appeal:
    """研判 and 派发 in one step for the clerk: the 研判 entry (who judged and what) is written
    first whenever no person's judgement precedes this round; 3 working days to respond."""
    if not department.is_active:
        raise ValidationError({"department": "该部门已停用。"})
    with PROCESS.act(appeal, A.DISPATCH, actor=user) as step:
        locked = step.obj
        if enterprise is not None:
            link_in_step(step, enterprise)
        if locked.enterprise_id is None:
            raise ValidationError(
                {"enterprise": "该诉求尚未确认企业，请先按名称或统一社会信用代码确认企业。"}
            )
        chosen = category or locked.category
        if needs_triage(locked):
            triage_note, triage_data = _judge(step, category=chosen, department=department)
            step.record(
                A.TRIAGE,
                note=triage_note,
                from_state=step.state_from,
                to_state=Stage.TRIAGED,
                data={**triage_data, "conclusion": conclusion.strip()},
                extra={"department": department},
            )
            step.state_from = Stage.TRIAGED
        elif category is not None:
            _judge(step, category=category, department=department)
        now = step.now
        if locked.dispatch_due_at and now > locked.dispatch_due_at:
            locked.was_overdue = True
        locked.dispatch_count += 1
        respond_due = deadline_after(
            start=now, working_days=settings.APPEAL_RESPOND_WORKING_DAYS
        ).due_at
        assignment = Assignment.objects.create(
            appeal=locked,
            department=department,
            round=locked.dispatch_count,
            dispatched_by=user,
            dispatched_at=now,
            note=note,
            respond_due_at=respond_due,
            contact_due_at=deadline_after(
                start=now, working_days=settings.APPEAL_CONTACT_WORKING_DAYS
            ).due_at,
        )
        co = [d for d in co_departments or [] if d != department]
        if co:
            assignment.co_departments.set(co)
        locked.department = department
        locked.dispatched_at = now
        locked.accepted_at = None
        locked.extended_due_at = None
        step.note = note
        step.extra = {"department": department}
        step.data = {
            "round": assignment.round,
            "respond_due_at": respond_due.isoformat(),
            "co_departments": [d.code for d in co],
        }
        step.then(lambda: send_notifications("dispatched", locked))
    return locked


# --- the department: 签收, 联系, 退回, 延期, 应答 ------------------------------------


def appeal_accept(*, appeal: Appeal, user: User) -> Appeal:
    """签收: the department confirms it has taken the order."""
    with PROCESS.act(appeal, A.ACCEPT, actor=user) as step:
        locked = step.obj
        if locked.accepted_at is not None:
            raise TransitionNotAllowed("该诉求已签收，无需重复签收。")
        locked.accepted_at = step.now
        Assignment.objects.filter(pk=_round(locked).pk).update(
            accepted_at=step.now, accepted_by=user
        )
    return locked


def _round(appeal: Appeal) -> Assignment:
    assignment = current_assignment(appeal)
    if assignment is None:  # pragma: no cover - a dispatched appeal always has one
        raise TransitionNotAllowed("该诉求尚未派发。")
    return assignment


def check_contact(
    *, way: str, content: str, person: str = "", contacted_at: dt.datetime | None = None
) -> dict[str, str]:
    """The field errors of a contact record (time, way, person, content)."""
    errors = {}
    if way not in CONTACT_WAYS:
        errors["way"] = "请选择联系方式。"
    if not content.strip():
        errors["content"] = "请填写联系情况。"
    if len(person) > 50:
        errors["person"] = "联系对象不超过50个字。"
    if contacted_at is not None and contacted_at > timezone.now() + dt.timedelta(minutes=5):
        errors["contacted_at"] = "联系时间不能晚于当前时间。"
    return errors


def _contact_in_step(
    step: Step,
    *,
    way: str,
    content: str,
    person: str,
    contacted_at: dt.datetime | None,
    main: bool,
) -> None:
    locked = step.obj
    when = contacted_at or step.now
    assignment = _round(locked)
    if when < assignment.dispatched_at:
        raise ValidationError({"contacted_at": "联系时间不能早于本次派发时间。"})
    if assignment.first_contact_at is None or when < assignment.first_contact_at:
        Assignment.objects.filter(pk=assignment.pk).update(first_contact_at=when)
    if locked.accepted_at is None:
        locked.accepted_at = when
    who = f"（联系对象：{person.strip()}）" if person.strip() else ""
    note = f"{CONTACT_WAYS[way]}联系{who}：{content.strip()}"
    data = {"way": way, "person": person.strip(), "contacted_at": when.isoformat()}
    if main:
        step.note, step.data = note, data
    else:
        step.record(A.CONTACT, note=note, data=data)


def appeal_contact(
    *,
    appeal: Appeal,
    user: User,
    way: str,
    content: str,
    person: str = "",
    contacted_at: dt.datetime | None = None,
) -> Appeal:
    """Record contact with the enterprise (art. 16: 及时与诉求企业取得联系)."""
    errors = check_contact(way=way, content=content, person=person, contacted_at=contacted_at)
    if errors:
        raise ValidationError(errors)
    with PROCESS.act(appeal, A.CONTACT, actor=user) as step:
        _contact_in_step(
            step, way=way, content=content, person=person, contacted_at=contacted_at, main=True
        )
    return step.obj


def appeal_return(*, appeal: Appeal, user: User, reason: str) -> Appeal:
    """退回: a misrouted order goes back to the platform with a reason; the return and the time the
    department held the order count against it (推诿扯皮, art. 19)."""
    if len(reason.strip()) < 4:
        raise ValidationError({"reason": "请填写退回理由（至少4个字），说明应由哪个部门承办。"})
    with PROCESS.act(appeal, A.RETURN, actor=user) as step:
        locked = step.obj
        department = locked.department
        assignment = _round(locked)
        Assignment.objects.filter(pk=assignment.pk).update(
            returned_at=step.now,
            return_reason=reason.strip(),
            outcome=AssignmentOutcome.RETURNED,
            responded_on_time=False,
        )
        if step.now > assignment.respond_due_at:
            locked.was_overdue = True
        locked.department = None
        locked.accepted_at = None
        locked.extended_due_at = None
        held = step.now - assignment.dispatched_at
        step.note = reason
        step.extra = {"department": department}
        step.data = {"round": assignment.round, "held_seconds": int(held.total_seconds())}
        step.then(lambda: send_notifications("returned", locked))
    return locked


def appeal_extension_request(
    *, appeal: Appeal, user: User, working_days: int, reason: str
) -> Extension:
    """延期: the department asks platform staff for more working days (within the limits the city
    configures: APPEAL_EXTENSIONS_PER_ROUND, APPEAL_EXTENSION_MAX_WORKING_DAYS)."""
    limit = max_extension_working_days()
    errors = {}
    if not 1 <= working_days <= limit:
        errors["working_days"] = f"延长天数应为1至{limit}个工作日。"
    if len(reason.strip()) < 4:
        errors["reason"] = "请说明延期理由。"
    if errors:
        raise ValidationError(errors)
    with PROCESS.act(appeal, A.EXTEND, actor=user) as step:
        locked = step.obj
        assignment = _round(locked)
        if assignment.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise TransitionNotAllowed("已有待审批的延期申请。")
        approved = assignment.extensions.filter(status=ExtensionStatus.APPROVED).count()
        if approved >= settings.APPEAL_EXTENSIONS_PER_ROUND:
            raise TransitionNotAllowed(
                f"本次派发已延期{approved}次，每次派发最多延期"
                f"{settings.APPEAL_EXTENSIONS_PER_ROUND}次。"
            )
        extension = Extension.objects.create(
            appeal=locked,
            assignment=assignment,
            requested_by=user,
            working_days=working_days,
            reason=reason.strip(),
        )
        step.note = f"申请延期{working_days}个工作日：{reason.strip()}"
        step.data = {"extension": extension.pk, "working_days": working_days}
        step.then(lambda: send_notifications("extension_requested", locked))
    return extension


def appeal_extension_decide(
    *, extension: Extension, user: User, approve: bool, note: str = ""
) -> Extension:
    """Platform staff approve or refuse; an approval sets the extended date beside the statutory
    one (never in its place), and the enterprise sees the new date and the reason."""
    action = A.EXTENSION_APPROVED if approve else A.EXTENSION_REFUSED
    with PROCESS.act(extension.appeal_id, action, actor=user) as step:
        locked = step.obj
        ext = Extension.objects.select_for_update().get(pk=extension.pk)
        if ext.status != ExtensionStatus.PENDING:
            raise TransitionNotAllowed("该延期申请已处理。")
        now = step.now
        ext.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        ext.decided_by = user
        ext.decided_at = now
        ext.decision_note = note
        step.data = {"extension": ext.pk, "working_days": ext.working_days}
        if approve:
            assignment = Assignment.objects.get(pk=ext.assignment_id)
            base = max(assignment.extended_due_at or assignment.respond_due_at, now)
            new_due = deadline_after(start=base, working_days=ext.working_days).due_at
            ext.new_due_at = new_due
            Assignment.objects.filter(pk=assignment.pk).update(
                extended_due_at=new_due,
                extension_days=assignment.extension_days + ext.working_days,
                extension_reason="\n".join(
                    r for r in (assignment.extension_reason, ext.reason) if r
                ),
            )
            locked.extended_due_at = new_due
            locked.is_extended = True
            step.note = (
                f"同意延期{ext.working_days}个工作日，应答期限延至{_due(new_due)}"
                f"（法定期限{_due(assignment.respond_due_at)}）。延期理由：{ext.reason}"
                + (f"。审批意见：{note}" if note else "")
            )
            step.data["new_due_at"] = new_due.isoformat()
        else:
            step.note = f"不同意延期{ext.working_days}个工作日。{note}".strip()
        ext.save()
        step.then(lambda: send_notifications(action, locked))
    return ext


def appeal_respond(
    *,
    appeal: Appeal,
    user: User,
    result: str,
    contact: dict[str, Any] | None = None,
    files: list[Any] | None = None,
) -> Appeal:
    """诉求应答: the department's result, which the enterprise sees; 电话回访 within 2 working days.

    A response needs a contact record of this round (art. 16); `contact` (way, content, person,
    contacted_at) records one in the same step when none exists. `files` are attached to the
    response in the same transaction."""
    errors = {}
    if len(result.strip()) < 10:
        errors["result"] = "请填写办理结果（至少10个字），说明如何解决或答复依据。"
    if contact:
        contact = {
            "way": contact.get("way", ""),
            "content": contact.get("content", ""),
            "person": contact.get("person", "") or "",
            "contacted_at": contact.get("contacted_at"),
        }
        errors.update(check_contact(**contact))
    if errors:
        raise ValidationError(errors)
    with PROCESS.act(appeal, A.RESPOND, actor=user) as step:
        locked = step.obj
        if contact:
            _contact_in_step(step, main=False, **contact)
        assignment = _round(locked)
        assignment.refresh_from_db(fields=["first_contact_at"])
        if assignment.first_contact_at is None:
            raise ValidationError(
                {"contact": "请先记录与企业的联系情况（时间、方式、联系对象、内容）后再提交答复。"}
            )
        now = step.now
        on_time = now <= assignment.respond_due_at
        met_extended = now <= assignment.extended_due_at if assignment.extended_due_at else None
        if not on_time:
            locked.was_overdue = True
        Assignment.objects.filter(pk=assignment.pk).update(
            responded_at=now,
            result=result.strip(),
            responded_on_time=on_time,
            met_extended_due=met_extended,
        )
        if locked.accepted_at is None:
            locked.accepted_at = now
        locked.responded_at = now
        locked.response = result.strip()
        step.note = result
        step.data = {"round": assignment.round, "on_time": on_time}
        if met_extended is not None:
            step.data["met_extended_due"] = met_extended
        if files:
            from qifu.appeals.services.attachments import store_attachments

            step.then(
                lambda: store_attachments(
                    locked, user=user, files=files, is_public=True, event=step.events[-1]
                )
            )
        step.then(lambda: send_notifications("responded", locked))
    return locked
