"""The attachment service: who may attach, visibility, content checks and audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qifu.appeals import services
from qifu.appeals.models import (
    Attachment,
)
from qifu.appeals.tests.pages import (
    pdf,
)
from qifu.core.models import AuditEvent

# --- the attachment service --------------------------------------------------------------------


def test_only_the_enterprise_the_handling_department_and_staff_may_attach_files(
    make_appeal: Any,
    other_enterprise_user: Any,
    other_department_admin: Any,
    platform_staff: Any,
) -> None:
    from django.core.exceptions import PermissionDenied

    appeal = make_appeal()
    for outsider in (other_enterprise_user, other_department_admin):
        with pytest.raises(PermissionDenied):
            services.appeal_attachments_add(appeal=appeal, user=outsider, files=[pdf()])
    assert services.appeal_attachments_add(appeal=appeal, user=platform_staff, files=[pdf()])


def test_an_enterprise_cannot_hide_a_file_from_the_department(
    make_appeal: Any, enterprise_user: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.appeal_attachments_add(
            appeal=make_appeal(), user=enterprise_user, files=[pdf()], is_public=False
        )


def test_the_service_checks_each_file_by_content_and_audits_the_upload(
    make_appeal: Any, enterprise_user: Any
) -> None:
    from django.core.exceptions import ValidationError

    appeal = make_appeal()
    with pytest.raises(ValidationError) as refused:
        services.appeal_attachments_add(
            appeal=appeal,
            user=enterprise_user,
            files=[pdf(), SimpleUploadedFile("a.pdf", b"plain text, not a pdf")],
        )
    assert "attachments" in refused.value.message_dict
    assert not Attachment.objects.exists()
    services.appeal_attachments_add(appeal=appeal, user=enterprise_user, files=[pdf("x.pdf")])
    stored = Attachment.objects.get()
    assert stored.file.name.endswith(".pdf") and "x.pdf" not in stored.file.name
    assert AuditEvent.objects.filter(action="appeals.attachments_add").exists()
