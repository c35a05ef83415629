"""Files on an appeal: the enterprise's materials, a department's response files, internal files.

Each file is checked by its content (qifu/core/uploads.py) and stored under a random name; the
original name is only shown, never used as a path. Internal files never reach the enterprise.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from qifu.accounts.access import is_department_handler, is_enterprise_member, is_platform_staff
from qifu.accounts.models import User
from qifu.appeals.models import Appeal, AppealEvent, Attachment
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_KINDS as ATTACHMENT_KINDS
from qifu.core.uploads import ATTACHMENT_MIME
from qifu.core.uploads import attachment_check as attachment_check

MAX_ATTACHMENTS = 5


def may_attach(user: Any, appeal: Appeal) -> bool:
    """The enterprise, platform staff and the handling department may attach files."""
    return bool(
        is_platform_staff(user)
        or is_enterprise_member(user, appeal.enterprise_id)
        or (appeal.department_id and is_department_handler(user, appeal.department_id))
    )


def store_attachments(
    appeal: Appeal,
    *,
    user: User,
    files: list[Any],
    is_public: bool = True,
    event: AppealEvent | None = None,
) -> list[Attachment]:
    """Check and store files (inside the caller's transaction: a bad file stores none)."""
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


def appeal_attachments_add(
    *,
    appeal: Appeal,
    user: User,
    files: list[Any],
    is_public: bool = True,
    event: AppealEvent | None = None,
) -> list[Attachment]:
    """Store files on an appeal after checking each by content; internal ones stay internal."""
    if not may_attach(user, appeal):
        raise PermissionDenied("无权为该诉求上传附件。")
    if user.enterprise_id and not is_public:
        raise PermissionDenied("企业上传的附件均对办理部门可见。")
    return store_attachments(appeal, user=user, files=files, is_public=is_public, event=event)
