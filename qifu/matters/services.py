"""Every write to an application goes through here: one locked, audited transition per action.

`ALLOWED` says in which statuses each action may happen; `_transition()` locks the row, refuses
what the table forbids (TransitionNotAllowed → HTTP 409), writes the MatterEvent that is the
timeline, and queues notifications to be sent after commit.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import User
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import TransitionNotAllowed as BaseTransitionNotAllowed
from qifu.matters.models import (
    Action,
    ELicence,
    Matter,
    MatterApplication,
    MatterEvent,
    MatterMaterial,
    Status,
)
from qifu.notifications.services import notify
from qifu.workdays.calendar import deadline_after

MAX_MATERIALS = 10

ACTION_LABELS: dict[str, str] = dict(Action.choices)

ALLOWED: dict[str, frozenset[str]] = {
    "submit": frozenset({Status.DRAFT, Status.SUPPLEMENT}),
    "accept": frozenset({Status.SUBMITTED}),
    "supplement": frozenset({Status.SUBMITTED, Status.ACCEPTED}),
    "approve": frozenset({Status.ACCEPTED}),
    "refuse": frozenset({Status.SUBMITTED, Status.ACCEPTED}),
    "attach": frozenset({Status.DRAFT, Status.SUPPLEMENT}),
    "deadline": frozenset({Status.SUBMITTED, Status.ACCEPTED}),  # see deadlines.py
}


class TransitionNotAllowed(BaseTransitionNotAllowed):
    """The application's status does not allow this action (HTTP 409)."""

    def __init__(self, application: MatterApplication, action: str) -> None:
        label = ACTION_LABELS.get(action, action)
        super().__init__(
            f"办件当前状态为“{Status(application.status).label}”，不能执行“{label}”。"
            "可能已被他人处理，请刷新后查看。"
        )


# --- who may act -----------------------------------------------------------------------------


def check_handling_department(user: Any, application: MatterApplication) -> None:
    if user.is_superuser:
        return
    if not (
        user.is_government
        and user.department_id
        and user.department_id == application.matter.department_id
    ):
        raise PermissionDenied("只有事项的实施部门可以执行此操作。")


def check_own_enterprise(user: Any, application: MatterApplication) -> None:
    if not (user.enterprise_id and user.enterprise_id == application.enterprise_id):
        raise PermissionDenied("只有申请企业可以执行此操作。")


def _actor_label(user: Any) -> str:
    if user is None:
        return "系统"
    if user.enterprise_id:
        return "企业"
    if user.department_id:
        return str(user.department.display_name)
    return "平台管理员" if user.is_superuser else ""


# --- the transition --------------------------------------------------------------------------


@contextmanager
def _transition(
    application_id: int, action: str
) -> Iterator[tuple[MatterApplication, list[Callable[[], None]]]]:
    """Lock the application, check the table, and run the caller's change in one transaction."""
    with transaction.atomic():
        application = (
            MatterApplication.objects.select_for_update(of=("self",))
            .select_related("matter", "matter__department", "enterprise")
            .get(pk=application_id)
        )
        if application.status not in ALLOWED[action]:
            raise TransitionNotAllowed(application, action)
        callbacks: list[Callable[[], None]] = []
        yield application, callbacks
    # Notifications only after commit (never for a rolled-back change).
    for callback in callbacks:
        transaction.on_commit(callback)


def _event(
    application: MatterApplication,
    *,
    action: str,
    actor: Any,
    status_from: str,
    note: str = "",
) -> MatterEvent:
    event = MatterEvent.objects.create(
        application=application,
        at=timezone.now(),
        action=action,
        actor=actor,
        actor_label=_actor_label(actor),
        status_from=status_from,
        status_to=application.status,
        note=note,
    )
    audit_record(
        action=f"matters.application.{action}",
        actor=actor,
        target=application,
        summary=f"{application.number} {ACTION_LABELS.get(action, action)}",
    )
    return event


def _notify_later(
    callbacks: list[Callable[[], None]],
    *,
    users: Callable[[], Iterable[Any]],
    application: MatterApplication,
    title: str,
    body: str,
) -> None:
    url = reverse("matters:application", args=[application.pk])

    def send() -> None:
        notify(
            users=list(users()),
            code="generic",
            context={"title": title, "body": body},
            url=url,
        )

    callbacks.append(send)


def _enterprise_users(application: MatterApplication) -> Callable[[], Iterable[Any]]:
    enterprise_id = application.enterprise_id
    return lambda: User.objects.filter(enterprise_id=enterprise_id, is_active=True)


def _department_users(application: MatterApplication) -> Callable[[], Iterable[Any]]:
    department_id = application.matter.department_id
    return lambda: User.objects.filter(department_id=department_id, is_active=True)


def _store_materials(application: MatterApplication, files: Iterable[Any]) -> None:
    files = list(files)
    if application.attachments.count() + len(files) > MAX_MATERIALS:
        raise ValidationError({"materials": f"申请材料最多{MAX_MATERIALS}个文件。"})
    checked = []
    for upload in files:
        try:
            kind = attachment_check(upload)
        except ValidationError as error:
            raise ValidationError({"materials": error.messages}) from error
        checked.append((upload, kind))
    for upload, kind in checked:
        MatterMaterial.objects.create(
            application=application,
            file=upload,
            original_name=str(upload.name)[:200],
            content_type=ATTACHMENT_MIME[kind],
            size=upload.size,
        )


# --- enterprise side -------------------------------------------------------------------------


def matter_application_create(
    *,
    user: User,
    matter: Matter,
    contact_name: str,
    contact_phone: str,
    description: str = "",
    files: Iterable[Any] = (),
) -> MatterApplication:
    """Start an application (草稿) for an online matter, with its materials checked by content."""
    if not user.enterprise_id:
        raise PermissionDenied("只有企业用户可以在线申请事项。")
    if not (matter.is_active and matter.is_online):
        raise ValidationError({"matter": "该事项不支持在平台内在线办理。"})
    errors: dict[str, str] = {}
    if not contact_name.strip():
        errors["contact_name"] = "请填写联系人。"
    if not contact_phone.strip():
        errors["contact_phone"] = "请填写联系电话。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        application = MatterApplication.objects.create(
            number=f"tmp-{uuid.uuid4().hex[:16]}",
            matter=matter,
            enterprise_id=user.enterprise_id,
            created_by=user,
            contact_name=contact_name.strip()[:50],
            contact_phone=contact_phone.strip()[:20],
            description=description.strip(),
            status=Status.DRAFT,
        )
        local = timezone.localtime(application.created_at)
        application.number = f"BJ{local:%Y%m%d}{application.pk:07d}"[:20]
        application.save(update_fields=["number"])
        _store_materials(application, files)
        _event(application, action="create", actor=user, status_from="")
    return application


def matter_application_attach(
    *, user: User, application: MatterApplication, files: Iterable[Any]
) -> MatterApplication:
    """Add materials to a draft or to an application waiting for supplements."""
    check_own_enterprise(user, application)
    with _transition(application.pk, "attach") as (locked, _callbacks):
        _store_materials(locked, files)
    return locked


def matter_application_submit(
    *, user: User, application: MatterApplication, files: Iterable[Any] = (), note: str = ""
) -> MatterApplication:
    """Submit (or resubmit after 补正); the promised limit runs from this moment."""
    check_own_enterprise(user, application)
    with _transition(application.pk, "submit") as (locked, callbacks):
        _store_materials(locked, files)
        if not locked.attachments.exists() and locked.matter.materials:
            raise ValidationError({"materials": "请上传申请材料。"})
        status_from = locked.status
        now = timezone.now()
        # Time spent waiting for supplements does not count (行政许可法 §32): the promised
        # limit restarts when the complete materials arrive.
        limit = locked.matter.promised_limit_days
        deadline = deadline_after(start=now, working_days=limit)
        locked.status = Status.SUBMITTED
        locked.submitted_at = now
        locked.due_at = deadline.due_at
        locked.due_working_days = limit
        locked.reason = ""
        locked.save(
            update_fields=[
                "status",
                "submitted_at",
                "due_at",
                "due_working_days",
                "reason",
                "updated_at",
            ]
        )
        action = "resubmit" if status_from == Status.SUPPLEMENT else "submit"
        _event(locked, action=action, actor=user, status_from=status_from, note=note.strip())
        _notify_later(
            callbacks,
            users=_department_users(locked),
            application=locked,
            title=f"新办件待处理：{locked.matter.name}",
            body=f"{locked.enterprise.name}{ACTION_LABELS[action]}（{locked.number}），"
            f"请在{timezone.localtime(deadline.due_at):%Y-%m-%d %H:%M}前办结。",
        )
    return locked


def matter_application_apply(
    *,
    user: User,
    matter: Matter,
    contact_name: str,
    contact_phone: str,
    description: str = "",
    files: Iterable[Any] = (),
) -> MatterApplication:
    """Create and submit in one step (the page's form); nothing is kept if submitting fails."""
    with transaction.atomic():
        application = matter_application_create(
            user=user,
            matter=matter,
            contact_name=contact_name,
            contact_phone=contact_phone,
            description=description,
            files=files,
        )
        return matter_application_submit(user=user, application=application)


# --- department side -------------------------------------------------------------------------


def matter_application_accept(*, user: User, application: MatterApplication) -> MatterApplication:
    """The department accepts the application (受理)."""
    check_handling_department(user, application)
    with _transition(application.pk, "accept") as (locked, callbacks):
        status_from = locked.status
        locked.status = Status.ACCEPTED
        locked.save(update_fields=["status", "updated_at"])
        _event(locked, action="accept", actor=user, status_from=status_from)
        _notify_later(
            callbacks,
            users=_enterprise_users(locked),
            application=locked,
            title=f"您的办件已受理：{locked.matter.name}",
            body=f"办件 {locked.number} 已受理，正在办理中。",
        )
    return locked


def matter_application_request_supplement(
    *, user: User, application: MatterApplication, reason: str
) -> MatterApplication:
    """The department tells the enterprise at once everything it must add (一次性告知)."""
    check_handling_department(user, application)
    if not reason.strip():
        raise ValidationError({"reason": "请一次性写明需要补正的材料或内容。"})
    with _transition(application.pk, "supplement") as (locked, callbacks):
        status_from = locked.status
        locked.status = Status.SUPPLEMENT
        locked.reason = reason.strip()
        locked.due_at = None
        locked.save(update_fields=["status", "reason", "due_at", "updated_at"])
        _event(locked, action="supplement", actor=user, status_from=status_from, note=reason)
        _notify_later(
            callbacks,
            users=_enterprise_users(locked),
            application=locked,
            title=f"办件需补正材料：{locked.matter.name}",
            body=f"办件 {locked.number} 需补正：{locked.reason}",
        )
    return locked


def matter_application_refuse(
    *, user: User, application: MatterApplication, reason: str
) -> MatterApplication:
    """The department refuses (不予许可), with its reason."""
    check_handling_department(user, application)
    if not reason.strip():
        raise ValidationError({"reason": "请填写不予许可的理由和依据。"})
    with _transition(application.pk, "refuse") as (locked, callbacks):
        status_from = locked.status
        locked.status = Status.REFUSED
        locked.reason = reason.strip()
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "reason", "decided_at", "updated_at"])
        _event(locked, action="refuse", actor=user, status_from=status_from, note=reason)
        _notify_later(
            callbacks,
            users=_enterprise_users(locked),
            application=locked,
            title=f"办件不予许可：{locked.matter.name}",
            body=f"办件 {locked.number} 不予许可，理由：{locked.reason}",
        )
    return locked


def matter_application_approve(
    *, user: User, application: MatterApplication, note: str = ""
) -> MatterApplication:
    """The department approves; a matter that issues a licence issues its e-licence here."""
    check_handling_department(user, application)
    with _transition(application.pk, "approve") as (locked, callbacks):
        status_from = locked.status
        now = timezone.now()
        locked.status = Status.APPROVED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        _event(locked, action="approve", actor=user, status_from=status_from, note=note)
        body = f"办件 {locked.number} 已办结，准予许可。"
        if locked.matter.licence_name:
            licence = _issue_licence(locked, today=timezone.localdate(now))
            _event(
                locked,
                action="licence",
                actor=user,
                status_from=locked.status,
                note=f"{licence.name} {licence.number}",
            )
            body += f"电子证照“{licence.name}”（{licence.number}）已核发。"
        _notify_later(
            callbacks,
            users=_enterprise_users(locked),
            application=locked,
            title=f"办件已办结：{locked.matter.name}",
            body=body,
        )
    return locked


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _issue_licence(application: MatterApplication, *, today: dt.date) -> ELicence:
    matter = application.matter
    valid_until = (
        _add_years(today, matter.licence_valid_years) - dt.timedelta(days=1)
        if matter.licence_valid_years
        else None
    )
    return ELicence.objects.create(
        number=f"RC{matter.code}{today:%Y}{application.pk:07d}"[:40],
        name=matter.licence_name,
        enterprise=application.enterprise,
        department=matter.department,
        application=application,
        issued_on=today,
        valid_until=valid_until,
    )
