"""Every write to a project goes through here: the project and its items are two processes on the
one workflow mechanism (qifu/projects/workflow.py) — locked, audited, with a history row and the
enterprise notified in the same transaction.

By concern: `projects` (templates, registration and plan, steward, notes), `items` (the steward's
work on each approval item), `documents`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied

from qifu.core.workflow import TransitionNotAllowed
from qifu.projects.services.documents import MAX_DOCUMENTS, project_document_upload
from qifu.projects.services.items import (
    locked_plan,
    project_item_complete,
    project_item_replan,
    project_item_request_document,
    project_item_start,
    project_item_waive,
)
from qifu.projects.services.projects import (
    project_create,
    project_note_add,
    project_steward_change,
    project_templates_load,
)
from qifu.projects.workflow import can_create_for, is_steward_of


def can_steward(user: Any, project: Any) -> bool:
    """The project's steward, or platform staff (who assign stewards and stand in for them)."""
    return is_steward_of(user, project)


def check_steward(user: Any, project: Any) -> None:
    if not is_steward_of(user, project):
        raise PermissionDenied("只有该项目的项目管家可以执行此操作。")


__all__ = [
    "MAX_DOCUMENTS",
    "TransitionNotAllowed",
    "can_create_for",
    "can_steward",
    "check_steward",
    "locked_plan",
    "project_create",
    "project_document_upload",
    "project_item_complete",
    "project_item_replan",
    "project_item_request_document",
    "project_item_start",
    "project_item_waive",
    "project_note_add",
    "project_steward_change",
    "project_templates_load",
]
