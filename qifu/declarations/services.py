"""Every write of 项目申报 goes through here: one locked, audited transition per action.

draft ─submit→ submitted ─accept→ accepted ─approve→ approved ─publish→ publicized ─finalise→ final
  returned ←return─ (submitted, accepted)        objection ←object─ publicized
  rejected ←reject─ (submitted, accepted)        objection ─dismiss→ publicized; ─uphold→ accepted

`ALLOWED` is the table; `_transition()` locks the row, refuses what the table forbids
(TransitionNotAllowed → HTTP 409), writes the ApplicationEvent (timeline and audit trail) and
queues notifications to be sent after commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import TransitionNotAllowed as BaseTransitionNotAllowed
from qifu.declarations.eligibility import Eligibility, evaluate_call
from qifu.declarations.models import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    ApplicationStatus,
    Call,
    Objection,
    ObjectionStatus,
)
from qifu.publishing.models import PublicationStatus
from qifu.publishing.services import publication_create, publication_update
from qifu.workdays.calendar import deadline_after

S = ApplicationStatus

ACTION_LABELS = {
    "draft": "保存草稿",
    "submit": "提交申报",
    "accept": "受理",
    "return": "退回补正",
    "reject": "不予通过",
    "approve": "审核通过",
    "publish": "结果公示",
    "object": "提出异议",
    "uphold": "异议成立，重新审核",
    "dismiss": "异议不成立，继续公示",
    "finalise": "公示结束",
    "deadline": "期限调整",
}

ALLOWED: dict[str, frozenset[str]] = {
    "submit": frozenset({S.DRAFT, S.RETURNED}),
    "accept": frozenset({S.SUBMITTED}),
    "return": frozenset({S.SUBMITTED, S.ACCEPTED}),
    "reject": frozenset({S.SUBMITTED, S.ACCEPTED}),
    "approve": frozenset({S.ACCEPTED}),
    "publish": frozenset({S.APPROVED}),
    "object": frozenset({S.PUBLICIZED}),
    "uphold": frozenset({S.OBJECTION}),
    "dismiss": frozenset({S.OBJECTION}),
    "finalise": frozenset({S.PUBLICIZED}),
    # A year's holidays changed: deadlines.py redoes the running deadline.
    "deadline": frozenset({S.SUBMITTED, S.ACCEPTED, S.PUBLICIZED, S.OBJECTION}),
}

CALL_FIELDS = (
    "policy",
    "title",
    "body",
    "criteria",
    "industries",
    "opens_on",
    "closes_on",
    "required_materials",
    "review_working_days",
    "publicity_days",
)


class TransitionNotAllowed(BaseTransitionNotAllowed):
    """The application's current status does not allow this action (HTTP 409)."""

    def __init__(self, application: Application, action: str, message: str = "") -> None:
        label = ACTION_LABELS.get(action, action)
        super().__init__(
            message
            or f"申报当前状态为“{ApplicationStatus(application.status).label}”，不能执行“{label}”。"
            "可能已被他人处理，请刷新后查看。"
        )


# --- who may act -----------------------------------------------------------------------------


def is_call_department(user: Any, call: Call) -> bool:
    """Reviewers are the staff of the department that provides the call, never an enterprise."""
    if not user.is_authenticated or user.enterprise_id:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_government and user.department_id == call.provider_department_id)


def _check_department(user: Any, call: Call) -> None:
    if not is_call_department(user, call):
        raise PermissionDenied("只有发布该申报通知的部门可以审核。")


def _check_own(user: Any, application: Application) -> None:
    if not (user.is_authenticated and user.enterprise_id == application.enterprise_id):
        raise PermissionDenied("只有申报企业可以执行此操作。")


def _actor_role(user: Any) -> str:
    if user is None:
        return "系统"
    if user.enterprise_id:
        return "企业"
    if user.department_id:
        return str(user.department.display_name)
    return "平台管理员" if user.is_superuser else ""


# --- calls -------------------------------------------------------------------------------------


def _clean_materials(materials: list[str]) -> list[str]:
    seen: list[str] = []
    for name in materials:
        name = str(name).strip()
        if name and name not in seen:
            seen.append(name[:100])
    return seen


def call_create(*, author: Any, **fields: Any) -> Call:
    """Write a call as a draft of the author's department; it is published through review."""
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"not a call field: {sorted(unknown)}")
    if "required_materials" in fields:
        fields["required_materials"] = _clean_materials(fields["required_materials"])
    return publication_create(item=Call(**fields), author=author)


def call_update(*, call: Call, actor: Any, **changes: Any) -> Call:
    """Edit a call; changed content of a published call is reviewed again."""
    unknown = set(changes) - set(CALL_FIELDS)
    if unknown:
        raise TypeError(f"not a call field: {sorted(unknown)}")
    if "required_materials" in changes:
        changes["required_materials"] = _clean_materials(changes["required_materials"])
    return publication_update(item=call, actor=actor, changes=changes)


def call_eligibility(*, call: Call, enterprise: Any, today: dt.date | None = None) -> Eligibility:
    """Whether the enterprise meets the call's criteria (or its policy's), with reasons."""
    return evaluate_call(
        criteria=call.effective_criteria,
        industries=call.effective_industries,
        enterprise=enterprise,
        today=today or timezone.localdate(),
    )


# --- the transition ----------------------------------------------------------------------------


@dataclass
class _Pending:
    callbacks: list[Callable[[], None]]


@contextmanager
def _transition(application_id: int, action: str) -> Iterator[tuple[Application, _Pending]]:
    """Lock the application, check the table, and run the caller's change in one transaction."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call", "enterprise")
            .get(pk=application_id)
        )
        if application.status not in ALLOWED[action]:
            raise TransitionNotAllowed(application, action)
        pending = _Pending(callbacks=[])
        yield application, pending
    # Notifications only after the transaction commits (never for a rolled-back change).
    for callback in pending.callbacks:
        transaction.on_commit(callback)


def _claim(application: Application, source: str, **values: Any) -> None:
    """The conditional UPDATE is the claim: SQLite does not lock, a concurrent writer wins once."""
    now = timezone.now()
    claimed = Application.objects.filter(pk=application.pk, status=source).update(
        **values, updated_at=now
    )
    if not claimed:
        raise TransitionNotAllowed(application, "", "此申报刚被其他人处理，请刷新后重试。")
    for name, value in values.items():
        setattr(application, name, value)


def _event(
    application: Application,
    *,
    action: str,
    actor: Any,
    status_from: str,
    note: str = "",
    role: str = "",
) -> ApplicationEvent:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = ApplicationEvent.objects.create(
        application=application,
        action=action,
        actor=actor if is_user else None,
        actor_role=role or _actor_role(actor if is_user else None),
        status_from=status_from,
        status_to=application.status,
        note=note,
    )
    audit_record(
        action=f"declarations.{action}",
        actor=actor if is_user else None,
        username="" if is_user else "系统",
        target=application,
        summary=f"{application.project_name} {ACTION_LABELS.get(action, action)}"[:500],
        data={"from": status_from, "to": application.status},
    )
    return event


def _notify_later(pending: _Pending, application_id: int, action: str) -> None:
    from qifu.declarations import notifications

    pending.callbacks.append(lambda: notifications.application_changed(application_id, action))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写理由。"})
    return reason


# --- the enterprise's side ---------------------------------------------------------------------


def _check_may_apply(user: Any, call: Call) -> None:
    if not user.is_authenticated or not user.enterprise_id:
        raise PermissionDenied("只有企业用户可以申报。")
    if call.status != PublicationStatus.PUBLISHED:
        raise PermissionDenied("该申报通知未发布。")


def application_save_draft(
    *,
    user: Any,
    call: Call,
    project_name: str,
    summary: str = "",
    amount: Decimal | None = None,
    files: dict[str, Any] | None = None,
    application: Application | None = None,
    now: dt.datetime | None = None,
) -> Application:
    """Create or update the enterprise's draft (also while returned for supplement), with files."""
    _check_may_apply(user, call)
    if not (project_name or "").strip():
        raise ValidationError({"project_name": "请填写项目名称。"})
    if amount is not None and amount < 0:
        raise ValidationError({"amount": "申请金额不能为负数。"})
    checked = _check_files(call, files or {})
    with transaction.atomic():
        if application is None:
            application = Application.objects.filter(
                enterprise_id=user.enterprise_id, call=call
            ).first()
        if application is None:
            if call.closes_on < timezone.localdate(now or timezone.now()):
                raise ValidationError({"__all__": "该申报通知已截止，不能再新建申报。"})
            application = Application.objects.create(
                enterprise_id=user.enterprise_id,
                call=call,
                created_by=user,
                project_name=project_name.strip(),
                summary=summary.strip(),
                amount=amount,
            )
            _event(application, action="draft", actor=user, status_from="")
        else:
            locked = Application.objects.select_for_update().get(pk=application.pk)
            _check_own(user, locked)
            if not locked.is_editable:
                raise TransitionNotAllowed(locked, "draft")
            locked.project_name = project_name.strip()
            locked.summary = summary.strip()
            locked.amount = amount
            locked.save(update_fields=["project_name", "summary", "amount", "updated_at"])
            application = locked
        _store_files(application, user, checked)
    return application


def _check_files(call: Call, files: dict[str, Any]) -> list[tuple[str, Any, str]]:
    checked = []
    for material, upload in files.items():
        if upload is None:
            continue
        if material not in call.required_materials:
            raise ValidationError({"files": f"“{material}”不是本通知要求的材料。"})
        try:
            checked.append((material, upload, attachment_check(upload)))
        except ValidationError as error:
            raise ValidationError({"files": error.messages}) from error
    return checked


def _store_files(application: Application, user: Any, checked: list[tuple[str, Any, str]]) -> None:
    for material, upload, extension in checked:
        # A new upload replaces the earlier file of the same material.
        ApplicationFile.objects.filter(application=application, material=material).delete()
        upload.seek(0)
        stored = ApplicationFile(
            application=application,
            material=material,
            original_name=(upload.name or material)[-200:],
            content_type=ATTACHMENT_MIME[extension],
            size=upload.size,
            uploaded_by=user,
        )
        # A random stored name: the original one is only shown, never used as a path.
        stored.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(upload.read()), save=False)
        stored.save()


def application_files_add(
    *, application: Application, user: Any, files: dict[str, Any]
) -> Application:
    """Upload required materials to an application the enterprise may still edit."""
    _check_own(user, application)
    checked = _check_files(application.call, files)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.is_editable:
            raise TransitionNotAllowed(locked, "draft")
        _store_files(locked, user, checked)
    return locked


def application_submit(
    *, application: Application, user: Any, now: dt.datetime | None = None
) -> Application:
    """Submit within the window, when eligible and with every required material uploaded."""
    _check_own(user, application)
    with _transition(application.pk, "submit") as (locked, pending):
        call = locked.call
        now = now or timezone.now()
        today = timezone.localdate(now)
        # The window binds first submissions; a supplement asked for by the department may come
        # after the closing date.
        if locked.status == S.DRAFT and not call.is_open(today):
            raise ValidationError(
                {
                    "__all__": f"申报时间为{call.opens_on:%Y-%m-%d}至{call.closes_on:%Y-%m-%d}，"
                    "当前不在申报期内。"
                }
            )
        verdict = call_eligibility(call=call, enterprise=locked.enterprise, today=today)
        if not verdict.eligible:
            raise ValidationError({"__all__": ["不符合申报条件：", *verdict.unmet]})
        uploaded = set(locked.files.values_list("material", flat=True))
        missing = [m for m in call.required_materials if m not in uploaded]
        if missing:
            raise ValidationError({"files": f"请上传以下材料：{'、'.join(missing)}"})
        source = locked.status
        due = deadline_after(start=now, working_days=call.review_working_days)
        _claim(
            locked,
            source,
            status=S.SUBMITTED,
            submitted_at=now,
            accept_due_at=due.due_at,
            decide_due_at=None,
            review_working_days=call.review_working_days,
            reason="",
        )
        _event(locked, action="submit", actor=user, status_from=source)
        _notify_later(pending, locked.pk, "submit")
    return locked


# --- the department's side ---------------------------------------------------------------------


def _decide(application: Application, user: Any, action: str, target: str, **values: Any) -> Any:
    note = values.pop("note", "")
    with _transition(application.pk, action) as (locked, pending):
        _check_department(user, locked.call)
        source = locked.status
        _claim(locked, source, status=target, **values)
        _event(locked, action=action, actor=user, status_from=source, note=note)
        _notify_later(pending, locked.pk, action)
    return locked


def application_accept(*, application: Application, user: Any) -> Application:
    """受理: the department takes the application up; the decision is due in working days."""
    now, days = timezone.now(), application.call.review_working_days
    due = deadline_after(start=now, working_days=days)
    return _decide(  # type: ignore[no-any-return]
        application,
        user,
        "accept",
        S.ACCEPTED,
        decide_due_at=due.due_at,
        decide_due_from=now,
        review_working_days=days,
    )


def application_return(*, application: Application, user: Any, reason: str) -> Application:
    """退回补正: back to the enterprise with what to supplement; it resubmits."""
    reason = _require_reason(reason)
    return _decide(application, user, "return", S.RETURNED, reason=reason, note=reason)  # type: ignore[no-any-return]


def application_reject(*, application: Application, user: Any, reason: str) -> Application:
    """不予通过, with the reason."""
    reason = _require_reason(reason)
    return _decide(application, user, "reject", S.REJECTED, reason=reason, note=reason)  # type: ignore[no-any-return]


def application_approve(*, application: Application, user: Any, note: str = "") -> Application:
    """审核通过; the result is publicised with the call's other approved applications."""
    return _decide(application, user, "approve", S.APPROVED, reason="", note=note.strip())  # type: ignore[no-any-return]


def results_publish(*, call: Call, user: Any) -> int:
    """Start the publicity (公示) of every approved application of the call; returns how many."""
    _check_department(user, call)
    now = timezone.now()
    ends = deadline_after(start=now, working_days=call.publicity_days).due_at
    count = 0
    ids = list(call.applications.filter(status=S.APPROVED).values_list("pk", flat=True))
    for pk in ids:
        try:
            with _transition(pk, "publish") as (locked, pending):
                _claim(
                    locked,
                    S.APPROVED,
                    status=S.PUBLICIZED,
                    publicity_starts_at=now,
                    publicity_ends_at=ends,
                    publicity_working_days=call.publicity_days,
                )
                _event(
                    locked,
                    action="publish",
                    actor=user,
                    status_from=S.APPROVED,
                    note=f"公示至{timezone.localtime(ends):%Y-%m-%d %H:%M}",
                )
                _notify_later(pending, locked.pk, "publish")
        except TransitionNotAllowed:
            continue
        count += 1
    if not count:
        raise ValidationError({"__all__": "没有待公示的审核通过项目。"})
    return count


def application_finalise_due(*, now: dt.datetime | None = None) -> int:
    """End the publicity of applications whose period has passed; a second run does nothing."""
    now = now or timezone.now()
    due = Application.objects.filter(status=S.PUBLICIZED, publicity_ends_at__lte=now)
    count = 0
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with _transition(pk, "finalise") as (locked, pending):
                if locked.publicity_ends_at is None or locked.publicity_ends_at > now:
                    continue
                _claim(locked, S.PUBLICIZED, status=S.FINAL, finalised_at=now)
                _event(locked, action="finalise", actor=None, status_from=S.PUBLICIZED)
                _notify_later(pending, locked.pk, "finalise")
        except TransitionNotAllowed:
            continue  # another worker, or an objection, got there first
        count += 1
    return count


# --- objections (公示异议) ----------------------------------------------------------------------


def objection_file(*, application: Application, user: Any, reason: str) -> Objection:
    """Anyone signed in objects to a publicised result; publicity pauses until it is answered."""
    if not user.is_authenticated:
        raise PermissionDenied("请先登录。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写异议理由。"})
    with _transition(application.pk, "object") as (locked, pending):
        _claim(locked, S.PUBLICIZED, status=S.OBJECTION)
        objection = Objection.objects.create(application=locked, filed_by=user, reason=reason)
        # The objector's identity is not shown to the enterprise on the timeline.
        _event(
            locked, action="object", actor=None, status_from=S.PUBLICIZED, note=reason, role="公众"
        )
        audit_record(
            action="declarations.objection.file",
            actor=user,
            target=objection,
            summary=f"{locked.project_name} 公示异议",
        )
        _notify_later(pending, locked.pk, "object")
    return objection


def objection_answer(*, objection: Objection, user: Any, upheld: bool, answer: str) -> Objection:
    """The call's department answers; an upheld objection sends the application back to review."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容。"})
    action = "uphold" if upheld else "dismiss"
    with _transition(objection.application_id, action) as (locked, pending):
        _check_department(user, locked.call)
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status != ObjectionStatus.PENDING:
            raise TransitionNotAllowed(locked, action)
        now = timezone.now()
        current.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        current.answer = answer
        current.answered_by = user
        current.answered_at = now
        current.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
        if upheld:
            days = locked.call.review_working_days
            due = deadline_after(start=now, working_days=days)
            _claim(
                locked,
                S.OBJECTION,
                status=S.ACCEPTED,
                decide_due_at=due.due_at,
                decide_due_from=now,
                review_working_days=days,
                publicity_starts_at=None,
                publicity_ends_at=None,
            )
        else:
            _claim(locked, S.OBJECTION, status=S.PUBLICIZED)
        _event(locked, action=action, actor=user, status_from=S.OBJECTION, note=answer)
        _notify_later(pending, locked.pk, action)
    return current
