"""Service requests to the commissioner (专员服务) and the contact log: one locked, audited
transition per action.

`ALLOWED` says in which statuses each action may happen; `_transition()` locks the row, refuses
what the table forbids (TransitionNotAllowed → HTTP 409), writes the ServiceRequestEvent that is
the timeline, and queues notifications to be sent after commit.

Deadlines (stored columns, working days by `deadline_after`):
- accept within `SERVICE_REQUEST_ACCEPT_WORKING_DAYS` of submission;
- complete within the kind's `SERVICE_REQUEST_WORKING_DAYS` of acceptance;
- the clock stops while the request waits for the enterprise (待企业补充): when the enterprise
  supplies what was asked, the working days that were left when the commissioner asked are
  granted again from that moment (at least one), so the enterprise's time is never counted
  against the commissioner.
A request filed when the enterprise has no commissioner is not refused: it is queued to the
agency running the space (commissioner empty), whose staff reassign it to a commissioner.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import TransitionNotAllowed as BaseTransitionNotAllowed
from qifu.notifications.services import notify
from qifu.workdays.calendar import deadline_after, working_days_between
from qifu.workspace.models import (
    OPEN_REQUEST_STATUSES,
    ContactLog,
    RequestAction,
    RequestKind,
    RequestStatus,
    ServiceRequest,
    ServiceRequestAttachment,
    ServiceRequestEvent,
)
from qifu.workspace.selectors.assignments import commissioner_for, serves

MAX_ATTACHMENTS = 10

ACTION_LABELS: dict[str, str] = dict(RequestAction.choices)
_OPEN = frozenset(OPEN_REQUEST_STATUSES)

ALLOWED: dict[str, frozenset[str]] = {
    "accept": frozenset({RequestStatus.SUBMITTED}),
    "ask_info": frozenset({RequestStatus.ACCEPTED}),
    "supply_info": frozenset({RequestStatus.WAITING}),
    "complete": frozenset({RequestStatus.ACCEPTED}),
    "withdraw": _OPEN,
    "reassign": _OPEN,
    "deadline": _OPEN,  # a year's holidays changed: qifu/workspace/deadlines.py
}


class TransitionNotAllowed(BaseTransitionNotAllowed):
    """The request's status does not allow this action (HTTP 409)."""

    def __init__(self, service_request: ServiceRequest, action: str) -> None:
        label = ACTION_LABELS.get(action, action)
        super().__init__(
            f"服务申请当前状态为“{RequestStatus(service_request.status).label}”，不能执行“{label}”。"
            "可能已被他人处理，请刷新后查看。"
        )


def completion_working_days(kind: str) -> int:
    """The kind's completion limit in working days (settings.SERVICE_REQUEST_WORKING_DAYS)."""
    limits: dict[str, int] = settings.SERVICE_REQUEST_WORKING_DAYS
    return int(limits.get(kind, 5))


# --- who may act -----------------------------------------------------------------------------


def is_space_admin(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.is_superuser or user.administers_section("space"))
    )


def check_commissioner(user: Any, service_request: ServiceRequest) -> None:
    if not (service_request.commissioner_id and service_request.commissioner_id == user.pk):
        raise PermissionDenied("只有负责该申请的服务专员可以执行此操作。")


def check_own_enterprise(user: Any, service_request: ServiceRequest) -> None:
    if not (user.enterprise_id and user.enterprise_id == service_request.enterprise_id):
        raise PermissionDenied("只有提出申请的企业可以执行此操作。")


# --- the transition --------------------------------------------------------------------------


@contextmanager
def _transition(
    request_id: int, action: str
) -> Iterator[tuple[ServiceRequest, list[Callable[[], None]]]]:
    """Lock the request, check the table, and run the caller's change in one transaction."""
    with transaction.atomic():
        locked = (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("enterprise", "commissioner")
            .get(pk=request_id)
        )
        if locked.status not in ALLOWED[action]:
            raise TransitionNotAllowed(locked, action)
        callbacks: list[Callable[[], None]] = []
        yield locked, callbacks
    # Notifications only after commit (never for a rolled-back change).
    for callback in callbacks:
        transaction.on_commit(callback)


def _event(
    service_request: ServiceRequest,
    *,
    action: str,
    actor: Any,
    from_status: str,
    note: str = "",
) -> ServiceRequestEvent:
    event = ServiceRequestEvent.objects.create(
        request=service_request,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=timezone.now(),
        from_status=from_status,
        to_status=service_request.status,
        note=note.strip(),
    )
    audit_record(
        action=f"workspace.request.{action}",
        actor=actor,
        target=service_request,
        summary=f"{service_request.number} {ACTION_LABELS.get(action, action)}",
    )
    return event


def _notify_later(
    callbacks: list[Callable[[], None]],
    *,
    users: Callable[[], Iterable[Any]],
    service_request: ServiceRequest,
    title: str,
    body: str,
) -> None:
    url = reverse("workspace:request", args=[service_request.pk])

    def send() -> None:
        notify(users=list(users()), code="generic", context={"title": title, "body": body}, url=url)

    callbacks.append(send)


def _enterprise_users(service_request: ServiceRequest) -> Callable[[], Iterable[Any]]:
    enterprise_id = service_request.enterprise_id
    return lambda: User.objects.filter(enterprise_id=enterprise_id, is_active=True)


def _commissioner(service_request: ServiceRequest) -> Callable[[], Iterable[Any]]:
    commissioner_id = service_request.commissioner_id
    if commissioner_id is None:
        return lambda: []
    return lambda: User.objects.filter(pk=commissioner_id, is_active=True)


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
    accept_days = settings.SERVICE_REQUEST_ACCEPT_WORKING_DAYS
    try:
        with transaction.atomic():
            service_request = ServiceRequest.objects.create(
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
                status=RequestStatus.SUBMITTED,
                submitted_at=now,
                accept_due_at=deadline_after(start=now, working_days=accept_days).due_at,
                accept_working_days=accept_days,
                idempotency_key=key,
            )
            local = timezone.localtime(now)
            service_request.number = f"ZY{local:%Y%m%d}{service_request.pk:06d}"[:20]
            service_request.save(update_fields=["number"])
            event = _event(
                service_request,
                action=RequestAction.SUBMIT,
                actor=user,
                from_status="",
                note="" if commissioner else "企业暂无服务专员，已转平台工作人员分派。",
            )
            _store_attachments(service_request, files, user=user, event=event)
    except IntegrityError:
        # A double submit with the same key raced past the check above: return the first one.
        existing = ServiceRequest.objects.filter(applicant=user, idempotency_key=key).first()
        if key and existing is not None:
            return existing
        raise
    label = RequestKind(kind).label
    if commissioner is not None:
        recipients: Callable[[], Iterable[Any]] = _commissioner(service_request)
        body = f"{enterprise.name}提出“{label}”服务申请（{service_request.number}），请及时受理。"
    else:
        recipients = space_admin_users
        body = (
            f"{enterprise.name}暂无服务专员，提出“{label}”申请（{service_request.number}），"
            "请分派专员。"
        )
    callbacks: list[Callable[[], None]] = []
    _notify_later(
        callbacks,
        users=recipients,
        service_request=service_request,
        title=f"新的专员服务申请：{label}",
        body=body,
    )
    for callback in callbacks:
        transaction.on_commit(callback)
    return service_request


def service_request_supply_info(
    *, user: User, service_request: ServiceRequest, note: str, files: Iterable[Any] = ()
) -> ServiceRequest:
    """The enterprise supplies what was asked; the completion clock runs again (see above)."""
    check_own_enterprise(user, service_request)
    if not note.strip():
        raise ValidationError({"note": "请说明补充的内容。"})
    with _transition(service_request.pk, "supply_info") as (locked, callbacks):
        from_status = locked.status
        now = timezone.now()
        asked = locked.events.filter(action=RequestAction.ASK_INFO).order_by("-at", "-id").first()
        remaining = 1
        if locked.due_at is not None and asked is not None:
            remaining = working_days_between(
                timezone.localdate(asked.at), timezone.localdate(locked.due_at)
            )
        days = max(remaining, 1)
        locked.due_at = deadline_after(start=now, working_days=days).due_at
        locked.due_from, locked.due_working_days = now, days
        locked.status = RequestStatus.ACCEPTED
        locked.save(
            update_fields=["status", "due_at", "due_from", "due_working_days", "updated_at"]
        )
        event = _event(locked, action="supply_info", actor=user, from_status=from_status, note=note)
        _store_attachments(locked, files, user=user, event=event)
        _notify_later(
            callbacks,
            users=_commissioner(locked),
            service_request=locked,
            title=f"企业已补充材料：{locked.number}",
            body=f"{locked.enterprise.name}已补充“{locked.title}”的材料，请继续办理。",
        )
    return locked


def service_request_withdraw(
    *, user: User, service_request: ServiceRequest, note: str = ""
) -> ServiceRequest:
    """The enterprise withdraws its request before it is completed."""
    check_own_enterprise(user, service_request)
    with _transition(service_request.pk, "withdraw") as (locked, callbacks):
        from_status = locked.status
        locked.status = RequestStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        _event(locked, action="withdraw", actor=user, from_status=from_status, note=note)
        if locked.commissioner_id:
            _notify_later(
                callbacks,
                users=_commissioner(locked),
                service_request=locked,
                title=f"企业已撤回服务申请：{locked.number}",
                body=f"{locked.enterprise.name}撤回了“{locked.title}”。",
            )
    return locked


# --- commissioner side -----------------------------------------------------------------------


def service_request_accept(*, user: User, service_request: ServiceRequest) -> ServiceRequest:
    """The commissioner accepts (受理); the completion limit of the kind starts now."""
    check_commissioner(user, service_request)
    with _transition(service_request.pk, "accept") as (locked, callbacks):
        check_commissioner(user, locked)
        from_status = locked.status
        now = timezone.now()
        locked.status = RequestStatus.ACCEPTED
        locked.accepted_at = now
        days = completion_working_days(locked.kind)
        locked.due_at = deadline_after(start=now, working_days=days).due_at
        locked.due_from, locked.due_working_days = now, days
        locked.save(
            update_fields=[
                "status",
                "accepted_at",
                "due_at",
                "due_from",
                "due_working_days",
                "updated_at",
            ]
        )
        _event(locked, action="accept", actor=user, from_status=from_status)
        _notify_later(
            callbacks,
            users=_enterprise_users(locked),
            service_request=locked,
            title=f"服务专员已受理：{locked.title}",
            body=f"{user}已受理您的申请（{locked.number}），预计"
            f"{timezone.localtime(locked.due_at):%Y-%m-%d}前办结。",
        )
    return locked


def service_request_ask_info(
    *, user: User, service_request: ServiceRequest, note: str
) -> ServiceRequest:
    """The commissioner asks the enterprise for more; the completion clock stops."""
    check_commissioner(user, service_request)
    if not note.strip():
        raise ValidationError({"note": "请一次性写明需要企业补充的内容。"})
    with _transition(service_request.pk, "ask_info") as (locked, callbacks):
        from_status = locked.status
        locked.status = RequestStatus.WAITING
        locked.save(update_fields=["status", "updated_at"])
        _event(locked, action="ask_info", actor=user, from_status=from_status, note=note)
        _notify_later(
            callbacks,
            users=_enterprise_users(locked),
            service_request=locked,
            title=f"服务专员请您补充：{locked.title}",
            body=f"申请 {locked.number} 需补充：{note.strip()}",
        )
    return locked


def service_request_complete(
    *, user: User, service_request: ServiceRequest, result: str, files: Iterable[Any] = ()
) -> ServiceRequest:
    """The commissioner completes the request with a result (and e.g. the archive extract)."""
    check_commissioner(user, service_request)
    if not result.strip():
        raise ValidationError({"result": "请填写办理结果。"})
    with _transition(service_request.pk, "complete") as (locked, callbacks):
        from_status = locked.status
        locked.status = RequestStatus.COMPLETED
        locked.completed_at = timezone.now()
        locked.result = result.strip()
        locked.save(update_fields=["status", "completed_at", "result", "updated_at"])
        event = _event(locked, action="complete", actor=user, from_status=from_status)
        _store_attachments(locked, files, user=user, event=event, field="result_files")
        _notify_later(
            callbacks,
            users=_enterprise_users(locked),
            service_request=locked,
            title=f"服务申请已办结：{locked.title}",
            body=f"申请 {locked.number} 已办结：{locked.result[:100]}",
        )
    return locked


# --- platform staff --------------------------------------------------------------------------


def service_request_reassign(
    *, user: User, service_request: ServiceRequest, to_user: User, note: str = ""
) -> ServiceRequest:
    """Platform staff give an open request to another commissioner (or a queued one to one)."""
    if not is_space_admin(user):
        raise PermissionDenied("只有专属空间的管理机构可以转交服务申请。")
    if not (to_user.is_active and to_user.has_role(Role.COMMISSIONER)):
        raise ValidationError({"to_user": f"{to_user}不是服务专员。"})
    with _transition(service_request.pk, "reassign") as (locked, callbacks):
        _reassign(locked, to_user=to_user, actor=user, note=note, callbacks=callbacks)
    return locked


def _reassign(
    locked: ServiceRequest,
    *,
    to_user: User,
    actor: Any,
    note: str,
    callbacks: list[Callable[[], None]],
) -> None:
    previous = locked.commissioner
    locked.commissioner = to_user
    locked.save(update_fields=["commissioner", "updated_at"])
    text = f"{previous or '平台待分派'} → {to_user}" + (f"：{note.strip()}" if note.strip() else "")
    _event(locked, action="reassign", actor=actor, from_status=locked.status, note=text)
    _notify_later(
        callbacks,
        users=_commissioner(locked),
        service_request=locked,
        title=f"转交给您的服务申请：{locked.title}",
        body=f"{locked.enterprise.name}的申请 {locked.number} 已转交给您办理。",
    )


def service_requests_move(*, from_user: User, to_user: User, actor: Any, note: str) -> int:
    """Move every open request of one commissioner to another (used by the hand-over)."""
    moved = 0
    ids = list(
        ServiceRequest.objects.open().filter(commissioner=from_user).values_list("pk", flat=True)
    )
    for pk in ids:
        try:
            with _transition(pk, "reassign") as (locked, callbacks):
                if locked.commissioner_id != from_user.pk:
                    continue
                _reassign(locked, to_user=to_user, actor=actor, note=note, callbacks=callbacks)
                moved += 1
        except TransitionNotAllowed:
            continue  # closed meanwhile
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
