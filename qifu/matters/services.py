"""Every write to an application goes through here, each step through the one workflow
mechanism (qifu/core/workflow.py) with the table in `qifu/matters/workflow.py`: the row locked,
the table and the permission checked, the MatterEvent written, notifications in the same
transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qifu.accounts.models import User
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import TransitionNotAllowed as TransitionNotAllowed
from qifu.matters.models import (
    ELicence,
    Matter,
    MatterApplication,
    MatterMaterial,
    Status,
)
from qifu.matters.workflow import PROCESS

MAX_MATERIALS = 10


def _enterprise_users(application: MatterApplication) -> Any:
    return User.objects.filter(enterprise_id=application.enterprise_id, is_active=True)


def _department_users(application: MatterApplication) -> Any:
    return User.objects.filter(department_id=application.matter.department_id, is_active=True)


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
    application = MatterApplication(
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        matter=matter,
        enterprise_id=user.enterprise_id,
        created_by=user,
        contact_name=contact_name.strip()[:50],
        contact_phone=contact_phone.strip()[:20],
        description=description.strip(),
    )
    with PROCESS.start(application, "create", actor=user, state=Status.DRAFT) as step:
        application.save()
        local = timezone.localtime(application.created_at)
        application.number = f"BJ{local:%Y%m%d}{application.pk:07d}"[:20]
        _store_materials(step.obj, files)
    return application


def matter_application_attach(
    *, user: User, application: MatterApplication, files: Iterable[Any]
) -> MatterApplication:
    """Add materials to a draft or to an application waiting for supplements."""
    with PROCESS.act(application, "attach", actor=user) as step:
        _store_materials(step.obj, files)
    return step.obj


def matter_application_submit(
    *, user: User, application: MatterApplication, files: Iterable[Any] = (), note: str = ""
) -> MatterApplication:
    """Submit (or resubmit after 补正); the promised limit runs from this moment."""
    action = "resubmit" if application.status == Status.SUPPLEMENT else "submit"
    with PROCESS.act(application, action, actor=user) as step:
        locked = step.obj
        _store_materials(locked, files)
        if not locked.attachments.exists() and locked.matter.materials:
            raise ValidationError({"materials": "请上传申请材料。"})
        locked.submitted_at = step.now
        locked.reason = ""
        step.note = note
        # Time spent waiting for supplements does not count (行政许可法 §32): the promised
        # limit restarts when the complete materials arrive (the table enters 已提交 again).
        step.restart_deadline("due_at")
        step.notify(
            lambda: _department_users(locked),
            f"新办件待处理：{locked.matter.name}",
            lambda: (
                f"{locked.enterprise.name}{step.action.label}（{locked.number}），"
                f"请在{timezone.localtime(locked.due_at):%Y-%m-%d %H:%M}前办结。"
            ),
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
    with PROCESS.act(application, "accept", actor=user) as step:
        locked = step.obj
        step.notify(
            lambda: _enterprise_users(locked),
            f"您的办件已受理：{locked.matter.name}",
            f"办件 {locked.number} 已受理，正在办理中。",
        )
    return locked


def matter_application_request_supplement(
    *, user: User, application: MatterApplication, reason: str
) -> MatterApplication:
    """The department tells the enterprise at once everything it must add (一次性告知)."""
    if not reason.strip():
        raise ValidationError({"reason": "请一次性写明需要补正的材料或内容。"})
    with PROCESS.act(application, "supplement", actor=user) as step:
        locked = step.obj
        locked.reason = reason.strip()
        locked.due_at = None
        step.note = reason
        step.notify(
            lambda: _enterprise_users(locked),
            f"办件需补正材料：{locked.matter.name}",
            f"办件 {locked.number} 需补正：{locked.reason}",
        )
    return locked


def matter_application_refuse(
    *, user: User, application: MatterApplication, reason: str
) -> MatterApplication:
    """The department refuses (不予许可), with its reason."""
    if not reason.strip():
        raise ValidationError({"reason": "请填写不予许可的理由和依据。"})
    with PROCESS.act(application, "refuse", actor=user) as step:
        locked = step.obj
        locked.reason = reason.strip()
        locked.decided_at = step.now
        step.note = reason
        step.notify(
            lambda: _enterprise_users(locked),
            f"办件不予许可：{locked.matter.name}",
            f"办件 {locked.number} 不予许可，理由：{locked.reason}",
        )
    return locked


def matter_application_approve(
    *, user: User, application: MatterApplication, note: str = ""
) -> MatterApplication:
    """The department approves; a matter that issues a licence issues its e-licence here."""
    with PROCESS.act(application, "approve", actor=user) as step:
        locked = step.obj
        locked.decided_at = step.now
        step.note = note
        body = f"办件 {locked.number} 已办结，准予许可。"
        if locked.matter.licence_name:
            licence = _issue_licence(locked, today=timezone.localdate(step.now))
            body += f"电子证照“{licence.name}”（{licence.number}）已核发。"
            step.record("licence", note=f"{licence.name} {licence.number}", after=True)
        step.notify(lambda: _enterprise_users(locked), f"办件已办结：{locked.matter.name}", body)
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
