"""Every write of 项目申报 goes through here; each step of an application through the one
workflow mechanism (qifu/core/workflow.py) with the table in `qifu/declarations/workflow.py`."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import Step
from qifu.core.workflow import TransitionNotAllowed as TransitionNotAllowed
from qifu.declarations import notifications
from qifu.declarations.eligibility import call_eligibility as call_eligibility
from qifu.declarations.models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    Call,
    Objection,
    ObjectionStatus,
)
from qifu.declarations.workflow import PROCESS
from qifu.declarations.workflow import is_call_department as is_call_department
from qifu.publishing.models import PublicationStatus
from qifu.publishing.services import publication_create, publication_update
from qifu.workdays.calendar import deadline_after

S = ApplicationStatus

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


def _check_department(user: Any, call: Call) -> None:
    if not is_call_department(user, call):
        raise PermissionDenied("只有发布该申报通知的部门可以审核。")


def _tell(step: Step) -> None:
    """The enterprise hears of every step, the department of submissions and objections."""
    application, name = step.obj, step.action.name
    step.then(lambda: notifications.application_changed(application, name))


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
            application = Application(
                enterprise_id=user.enterprise_id,
                call=call,
                created_by=user,
                project_name=project_name.strip(),
                summary=summary.strip(),
                amount=amount,
            )
            with PROCESS.start(application, "draft", actor=user, state=S.DRAFT):
                application.save()
        else:
            with PROCESS.act(application, "edit", actor=user) as step:
                locked = step.obj
                locked.project_name = project_name.strip()
                locked.summary = summary.strip()
                locked.amount = amount
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
    checked = _check_files(application.call, files)
    with PROCESS.act(application, "edit", actor=user) as step:
        _store_files(step.obj, user, checked)
    return step.obj


def application_submit(
    *, application: Application, user: Any, now: dt.datetime | None = None
) -> Application:
    """Submit within the window, when eligible and with every required material uploaded."""
    with PROCESS.act(application, "submit", actor=user) as step:
        locked = step.obj
        call = locked.call
        now = now or step.now
        step.now = now
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
        locked.submitted_at = now
        locked.decide_due_at = None
        locked.reason = ""
        _tell(step)
    return locked


# --- the department's side ---------------------------------------------------------------------


def _decide(application: Application, user: Any, action: str, **values: Any) -> Application:
    note = values.pop("note", "")
    with PROCESS.act(application, action, actor=user) as step:
        for name, value in values.items():
            setattr(step.obj, name, value)
        step.note = note
        _tell(step)
    locked: Application = step.obj
    return locked


def application_accept(*, application: Application, user: Any) -> Application:
    """受理: the department takes the application up; the decision is due in working days."""
    return _decide(application, user, "accept")


def application_return(*, application: Application, user: Any, reason: str) -> Application:
    """退回补正: back to the enterprise with what to supplement; it resubmits."""
    reason = _require_reason(reason)
    return _decide(application, user, "return", reason=reason, note=reason)


def application_reject(*, application: Application, user: Any, reason: str) -> Application:
    """不予通过, with the reason."""
    reason = _require_reason(reason)
    return _decide(application, user, "reject", reason=reason, note=reason)


def application_approve(*, application: Application, user: Any, note: str = "") -> Application:
    """审核通过; the result is publicised with the call's other approved applications."""
    return _decide(application, user, "approve", reason="", note=note.strip())


def results_publish(*, call: Call, user: Any) -> int:
    """Start the publicity (公示) of every approved application of the call; returns how many."""
    _check_department(user, call)
    count = 0
    ids = list(call.applications.filter(status=S.APPROVED).values_list("pk", flat=True))
    for pk in ids:
        try:
            with PROCESS.act(pk, "publish", actor=user) as step:
                # The table's publicity deadline counts from this moment; said on the timeline.
                ends = deadline_after(start=step.now, working_days=call.publicity_days).due_at
                step.note = f"公示至{timezone.localtime(ends):%Y-%m-%d %H:%M}"
                _tell(step)
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
            with PROCESS.act(pk, "finalise", actor=None) as step:
                ends_at = step.obj.publicity_ends_at
                if ends_at is None or ends_at > now:
                    raise TransitionNotAllowed("公示期尚未结束。")
                step.obj.finalised_at = now
                _tell(step)
        except TransitionNotAllowed:
            continue  # another worker, or an objection, got there first
        count += 1
    return count


# --- objections (公示异议) ----------------------------------------------------------------------


def objection_file(*, application: Application, user: Any, reason: str) -> Objection:
    """Anyone signed in objects to a publicised result; publicity pauses until it is answered."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写异议理由。"})
    with PROCESS.act(application, "object", actor=user) as step:
        locked = step.obj
        objection = Objection.objects.create(application=locked, filed_by=user, reason=reason)
        # The objector's identity is not shown to the enterprise on the timeline.
        step.anonymous_as = "公众"
        step.note = reason
        audit_record(
            action="declarations.objection.file",
            actor=user,
            target=objection,
            summary=f"{locked.project_name} 公示异议",
        )
        _tell(step)
    return objection


def objection_answer(*, objection: Objection, user: Any, upheld: bool, answer: str) -> Objection:
    """The call's department answers; an upheld objection sends the application back to review."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容。"})
    action = "uphold" if upheld else "dismiss"
    with PROCESS.act(objection.application_id, action, actor=user) as step:
        locked = step.obj
        current = Objection.objects.select_for_update().get(pk=objection.pk)
        if current.status != ObjectionStatus.PENDING:
            raise PROCESS.conflict(locked, PROCESS.actions[action])
        now = timezone.now()
        current.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        current.answer = answer
        current.answered_by = user
        current.answered_at = now
        current.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
        if upheld:
            locked.publicity_starts_at = None
            locked.publicity_ends_at = None
        step.note = answer
        _tell(step)
    return current
