"""Service requests to the commissioner (专员服务) and the contact log.

Each step of a request goes through the one workflow mechanism (qifu/core/workflow.py) with the
table, the permissions and the deadlines in `qifu/workspace/workflow.py`. The clock stops while
the request waits for the enterprise (待企业补充): when the enterprise supplies what was asked,
the working days that were left when the commissioner asked are granted again from that moment
(at least one), so the enterprise's time is never counted against the commissioner. A request
filed when the enterprise has no commissioner is not refused: it is queued to the agency running
the space (commissioner empty), whose staff reassign it to a commissioner.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import Step
from qifu.core.workflow import TransitionNotAllowed as TransitionNotAllowed
from qifu.workdays.calendar import deadline_after, working_days_between
from qifu.workspace.models import (
    ContactLog,
    RequestAction,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    ServiceRequestAttachment,
    ServiceRequestEvent,
)
from qifu.workspace.selectors.assignments import commissioner_for, serves
from qifu.workspace.workflow import PROCESS
from qifu.workspace.workflow import completion_working_days as completion_working_days
from qifu.workspace.workflow import is_space_admin as is_space_admin

MAX_ATTACHMENTS = 10


def _enterprise_users(service_request: ServiceRequest) -> Any:
    return User.objects.filter(enterprise_id=service_request.enterprise_id, is_active=True)


def _commissioner(service_request: ServiceRequest) -> Any:
    if service_request.commissioner_id is None:
        return User.objects.none()
    return User.objects.filter(pk=service_request.commissioner_id, is_active=True)


def _files_after(step: Step, files: Iterable[Any], user: Any, field: str = "attachments") -> None:
    """Store files on the step's history row once it is written (same transaction)."""
    files = list(files)
    if files:
        step.then(
            lambda: _store_attachments(
                step.obj, files, user=user, event=step.events[-1], field=field
            )
        )


def space_admin_users() -> list[User]:
    """Platform staff of the agencies running the space (they dispatch unassigned requests)."""
    agencies = [d.pk for d in Department.objects.all() if "space" in (d.sections or [])]
    return list(
        User.objects.filter(
            department_id__in=agencies,
            is_active=True,
            role_grants__role__in=[Role.PLATFORM_STAFF, Role.LIAISON],
        ).distinct()
    )


def _store_attachments(
    service_request: ServiceRequest,
    files: Iterable[Any],
    *,
    user: Any,
    event: ServiceRequestEvent | None = None,
    field: str = "attachments",
) -> None:
    files = list(files)
    if not files:
        return
    if service_request.attachments.count() + len(files) > MAX_ATTACHMENTS:
        raise ValidationError({field: f"附件最多{MAX_ATTACHMENTS}个。"})
    checked = []
    for upload in files:
        try:
            kind = attachment_check(upload)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from error
        checked.append((upload, kind))
    for upload, kind in checked:
        ServiceRequestAttachment.objects.create(
            request=service_request,
            event=event,
            file=upload,
            original_name=str(upload.name)[:200],
            content_type=ATTACHMENT_MIME[kind],
            size=upload.size,
            uploaded_by=user,
        )


# --- enterprise side -------------------------------------------------------------------------


def service_request_submit(
    *,
    user: User,
    kind: str,
    title: str,
    description: str,
    contact_name: str = "",
    contact_phone: str = "",
    licence: Any = None,
    files: Iterable[Any] = (),
    idempotency_key: str = "",
) -> ServiceRequest:
    """File a request with the enterprise's commissioner; the same key files it only once."""
    if not user.enterprise_id:
        raise PermissionDenied("只有企业用户可以向服务专员提出申请。")
    key = idempotency_key.strip()[:64]
    if key:
        existing = ServiceRequest.objects.filter(applicant=user, idempotency_key=key).first()
        if existing is not None:
            return existing
    errors: dict[str, str] = {}
    if kind not in RequestKind.values:
        errors["kind"] = "请选择服务类型。"
    if not title.strip():
        errors["title"] = "请填写标题。"
    if not description.strip():
        errors["description"] = "请写明需要专员帮助办理的事项。"
    if licence is not None and licence.enterprise_id != user.enterprise_id:
        errors["licence"] = "只能选择本企业的证照。"
    if errors:
        raise ValidationError(errors)
    enterprise = Enterprise.objects.get(pk=user.enterprise_id)
    commissioner = commissioner_for(enterprise)
    now = timezone.now()
    service_request = ServiceRequest(
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        enterprise=enterprise,
        kind=kind,
        title=title.strip()[:100],
        description=description.strip(),
        licence=licence,
        applicant=user,
        contact_name=(contact_name.strip() or user.real_name)[:50],
        contact_phone=(contact_phone.strip() or user.phone or "")[:20],
        commissioner=commissioner,
        submitted_at=now,
        idempotency_key=key,
    )
    label = RequestKind(kind).label
    try:
        with PROCESS.start(
            service_request, "submit", actor=user, state=RequestStatus.SUBMITTED
        ) as step:
            service_request.save()
            local = timezone.localtime(now)
            service_request.number = f"ZY{local:%Y%m%d}{service_request.pk:06d}"[:20]
            step.note = "" if commissioner else "企业暂无服务专员，已转平台工作人员分派。"
            _files_after(step, files, user)
            if commissioner is not None:
                step.notify(
                    [commissioner],
                    f"新的专员服务申请：{label}",
                    f"{enterprise.name}提出“{label}”服务申请（{service_request.number}），"
                    "请及时受理。",
                )
            else:
                step.notify(
                    space_admin_users,
                    f"新的专员服务申请：{label}",
                    f"{enterprise.name}暂无服务专员，提出“{label}”申请（{service_request.number}），"
                    "请分派专员。",
                )
    except IntegrityError:
        # A double submit with the same key raced past the check above: return the first one.
        existing = ServiceRequest.objects.filter(applicant=user, idempotency_key=key).first()
        if key and existing is not None:
            return existing
        raise
    return service_request


def service_request_supply_info(
    *, user: User, service_request: ServiceRequest, note: str, files: Iterable[Any] = ()
) -> ServiceRequest:
    """The enterprise supplies what was asked; the completion clock runs again (see above)."""
    if not note.strip():
        raise ValidationError({"note": "请说明补充的内容。"})
    with PROCESS.act(service_request, "supply_info", actor=user) as step:
        locked = step.obj
        asked = locked.events.filter(action=RequestAction.ASK_INFO).order_by("-at", "-id").first()
        remaining = 1
        if locked.due_at is not None and asked is not None:
            remaining = working_days_between(
                timezone.localdate(asked.at), timezone.localdate(locked.due_at)
            )
        days = max(remaining, 1)
        step.fix_deadline("due_at", deadline_after(start=step.now, working_days=days).due_at)
        locked.due_from, locked.due_working_days = step.now, days
        step.note = note
        _files_after(step, files, user)
        step.notify(
            lambda: _commissioner(locked),
            f"企业已补充材料：{locked.number}",
            f"{locked.enterprise.name}已补充“{locked.title}”的材料，请继续办理。",
        )
    return locked


def service_request_withdraw(
    *, user: User, service_request: ServiceRequest, note: str = ""
) -> ServiceRequest:
    """The enterprise withdraws its request before it is completed."""
    with PROCESS.act(service_request, "withdraw", actor=user) as step:
        locked = step.obj
        step.note = note
        if locked.commissioner_id:
            step.notify(
                lambda: _commissioner(locked),
                f"企业已撤回服务申请：{locked.number}",
                f"{locked.enterprise.name}撤回了“{locked.title}”。",
            )
    return locked


# --- commissioner side -----------------------------------------------------------------------


def service_request_accept(*, user: User, service_request: ServiceRequest) -> ServiceRequest:
    """The commissioner accepts (受理); the completion limit of the kind starts now."""
    with PROCESS.act(service_request, "accept", actor=user) as step:
        locked = step.obj
        locked.accepted_at = step.now
        step.notify(
            lambda: _enterprise_users(locked),
            f"服务专员已受理：{locked.title}",
            lambda: (
                f"{user}已受理您的申请（{locked.number}），预计"
                f"{timezone.localtime(locked.due_at):%Y-%m-%d}前办结。"
            ),
        )
    return locked


def service_request_ask_info(
    *, user: User, service_request: ServiceRequest, note: str
) -> ServiceRequest:
    """The commissioner asks the enterprise for more; the completion clock stops."""
    if not note.strip():
        raise ValidationError({"note": "请一次性写明需要企业补充的内容。"})
    with PROCESS.act(service_request, "ask_info", actor=user) as step:
        locked = step.obj
        step.note = note
        step.notify(
            lambda: _enterprise_users(locked),
            f"服务专员请您补充：{locked.title}",
            f"申请 {locked.number} 需补充：{note.strip()}",
        )
    return locked


def service_request_complete(
    *, user: User, service_request: ServiceRequest, result: str, files: Iterable[Any] = ()
) -> ServiceRequest:
    """The commissioner completes the request with a result (and e.g. the archive extract)."""
    if not result.strip():
        raise ValidationError({"result": "请填写办理结果。"})
    with PROCESS.act(service_request, "complete", actor=user) as step:
        locked = step.obj
        locked.completed_at = step.now
        locked.result = result.strip()
        _files_after(step, files, user, field="result_files")
        step.notify(
            lambda: _enterprise_users(locked),
            f"服务申请已办结：{locked.title}",
            f"申请 {locked.number} 已办结：{locked.result[:100]}",
        )
    return locked


# --- platform staff --------------------------------------------------------------------------


def service_request_reassign(
    *, user: User, service_request: ServiceRequest, to_user: User, note: str = ""
) -> ServiceRequest:
    """Platform staff give an open request to another commissioner (or a queued one to one)."""
    if not (to_user.is_active and to_user.has_role(Role.COMMISSIONER)):
        raise ValidationError({"to_user": f"{to_user}不是服务专员。"})
    with PROCESS.act(service_request, "reassign", actor=user) as step:
        _reassign(step, to_user=to_user, note=note)
    return step.obj


def _reassign(step: Step, *, to_user: User, note: str) -> None:
    locked = step.obj
    previous = locked.commissioner
    locked.commissioner = to_user
    step.note = f"{previous or '平台待分派'} → {to_user}" + (
        f"：{note.strip()}" if note.strip() else ""
    )
    step.notify(
        [to_user],
        f"转交给您的服务申请：{locked.title}",
        f"{locked.enterprise.name}的申请 {locked.number} 已转交给您办理。",
    )


def service_requests_move(*, from_user: User, to_user: User, actor: Any, note: str) -> int:
    """Move every open request of one commissioner to another (used by the hand-over)."""
    moved = 0
    ids = list(
        ServiceRequest.objects.open().filter(commissioner=from_user).values_list("pk", flat=True)
    )
    for pk in ids:
        try:
            # The hand-over was authorised as a whole (qifu/workspace/services/assignments.py).
            with PROCESS.act(pk, "reassign", actor=actor, check=False) as step:
                if step.obj.commissioner_id != from_user.pk:
                    raise TransitionNotAllowed("已转交。")
                _reassign(step, to_user=to_user, note=note)
            moved += 1
        except TransitionNotAllowed:
            continue  # closed or moved meanwhile
    return moved


# --- contact log -----------------------------------------------------------------------------


def contact_log_create(
    *,
    user: User,
    enterprise: Enterprise,
    kind: str,
    occurred_at: Any,
    summary: str,
    service_request: ServiceRequest | None = None,
) -> ContactLog:
    """The enterprise's commissioner or steward logs a call, visit, chat or meeting."""
    if not serves(user, enterprise):
        raise PermissionDenied("只有该企业的服务专员或项目管家可以记录走访联系。")
    errors: dict[str, str] = {}
    if not summary.strip():
        errors["summary"] = "请填写情况记录。"
    if occurred_at is None:
        errors["occurred_at"] = "请填写时间。"
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "时间不能晚于现在。"
    if service_request is not None and service_request.enterprise_id != enterprise.pk:
        errors["service_request"] = "只能关联本企业的服务申请。"
    if errors:
        raise ValidationError(errors)
    log = ContactLog.objects.create(
        enterprise=enterprise,
        staff=user,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary.strip(),
        service_request=service_request,
    )
    audit_record(
        action="workspace.contact.create",
        actor=user,
        target=log,
        summary=f"{enterprise.name} {log.get_kind_display()}",
    )
    return log
