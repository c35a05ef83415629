"""Documents of a project: the steward's at any time, the enterprise's only what was asked for."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from qifu.accounts.models import User
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.projects.models import EventAction, Project, ProjectDocument, ProjectItem
from qifu.projects.services.common import enterprise_users
from qifu.projects.workflow import PROJECTS, is_steward_of

MAX_DOCUMENTS = 50


def store_document(
    project: Project, item: ProjectItem | None, upload: Any, kind: str, actor: Any
) -> ProjectDocument:
    return ProjectDocument.objects.create(
        project=project,
        item=item,
        file=upload,
        original_name=str(upload.name)[:200],
        content_type=ATTACHMENT_MIME[kind],
        size=upload.size,
        uploaded_by=actor,
    )


def project_document_upload(
    *, actor: User, project: Project, upload: Any, item: ProjectItem | None = None, note: str = ""
) -> ProjectDocument:
    """Upload a document: the steward at any time, the enterprise only what was asked for."""
    is_steward = is_steward_of(actor, project)
    if item is not None and item.project_id != project.pk:
        raise ValidationError({"item": "事项不属于该项目。"})
    try:
        kind = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    with PROJECTS.act(project, EventAction.UPLOAD, actor=actor) as step:
        locked = step.obj
        if locked.documents.count() >= MAX_DOCUMENTS:
            raise ValidationError({"file": f"每个项目最多上传{MAX_DOCUMENTS}个文件。"})
        locked_item = None
        if item is not None:
            locked_item = ProjectItem.objects.select_for_update().get(pk=item.pk)
        # The enterprise answers a request: only for an item whose request is still open.
        if not is_steward and (locked_item is None or not locked_item.document_requested):
            raise ValidationError({"item": "请选择项目管家要求提供材料的事项。"})
        document = store_document(locked, locked_item, upload, kind, actor)
        text = f"{document.original_name}" + (f"：{note.strip()}" if note.strip() else "")
        step.note = text[:2000]
        step.extra = {"item": locked_item}
        if locked_item is not None and not is_steward:
            locked_item.document_requested = ""
            locked_item.save(update_fields=["document_requested", "updated_at"])
        if is_steward:
            step.notify(
                enterprise_users(locked),
                f"项目材料已上传：{locked.name}",
                f"项目管家上传了“{document.original_name}”。",
            )
        elif locked.steward_id:
            step.notify(
                User.objects.filter(pk=locked.steward_id),
                f"企业已上传材料：{locked.name}",
                f"{locked.enterprise.name}上传了“{document.original_name}”。",
            )
    return document
