"""The project steward's work (项目管家, measures art. 8) as two processes on the one mechanism.

- A project's approval items (审批事项): 未开始 ─start→ 办理中 ─complete→ 已完成, or 免于办理
  (waive, with its reason); replanning and asking the enterprise for a document keep the status.
  The project's steward acts (or platform staff, who assign stewards and stand in for them).
- The project itself: registration, a change of steward (platform staff), notes and documents,
  and 项目竣工 when its last item closes (the platform's own step). Both write to the project's
  one history (ProjectEvent), an item's steps with the item named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from qifu.accounts.access import is_enterprise_member, is_platform_staff, is_signed_in
from qifu.core.workflow import Process, action, nobody, permission
from qifu.projects.models import (
    EventAction,
    ItemStatus,
    Project,
    ProjectEvent,
    ProjectItem,
    ProjectStatus,
)

A = EventAction
OPEN_ITEM = [ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS]
ANY_PROJECT = list(ProjectStatus.values)


def is_steward_of(user: Any, project: Project) -> bool:
    """The project's steward, or platform staff (who assign stewards and stand in for them)."""
    if not is_signed_in(user) or user.enterprise_id:
        return False
    return bool(is_platform_staff(user) or (user.is_government and project.steward_id == user.pk))


@permission("项目管家", "只有该项目的项目管家可以执行此操作。")
def can_steward_item(user: Any, item: ProjectItem) -> bool:
    return is_steward_of(user, item.project)


@permission("项目管家", "只有该项目的项目管家可以执行此操作。")
def can_steward(user: Any, project: Project) -> bool:
    return is_steward_of(user, project)


# Other sections may let their staff register the construction project of an enterprise they
# bring onto the platform (智慧招商: a registered investment project); an app appends its check
# `(user, enterprise) -> bool` in AppConfig.ready().
creator_checks: list[Callable[[Any, Any], bool]] = []


def can_create_for(user: Any, enterprise: Any) -> bool:
    """Platform staff, the enterprise's own steward, or a section's check, register its projects."""
    from qifu.workspace.models import AssignmentRole
    from qifu.workspace.selectors.assignments import serves

    if not is_signed_in(user) or user.enterprise_id:
        return False
    if is_platform_staff(user):
        return True
    if any(check(user, enterprise) for check in creator_checks):
        return True
    return bool(user.has_role("steward") and serves(user, enterprise, AssignmentRole.STEWARD))


@permission("平台工作人员或企业的项目管家", "只有平台工作人员或该企业的项目管家可以登记项目。")
def can_register(user: Any, project: Project) -> bool:
    return can_create_for(user, project.enterprise)


@permission("平台工作人员", "只有平台工作人员可以指定项目管家。")
def can_assign_steward(user: Any, project: Project) -> bool:
    return is_platform_staff(user) and not user.enterprise_id


@permission("项目管家或项目企业", "您无权为该项目上传材料。")
def can_upload(user: Any, project: Project) -> bool:
    return is_steward_of(user, project) or is_enterprise_member(user, project.enterprise_id)


def _project_url(obj: Any) -> str:
    project = obj.project if isinstance(obj, ProjectItem) else obj
    return reverse("projects:detail", args=[project.pk])


ITEMS = Process(
    name="project_items",
    label="审批事项",
    model=ProjectItem,
    states=ItemStatus,
    history=ProjectEvent,
    subject="item",
    lock_related=("project", "project__enterprise"),
    audit_prefix="projects.item",
    url=_project_url,
    number=lambda item: f"{item.project.name} · {item.name}",
    history_fields=lambda step, entry: {"project_id": step.obj.project_id},
    actions=[
        action(
            A.START,
            "开始办理",
            sources=[ItemStatus.NOT_STARTED],
            to=ItemStatus.IN_PROGRESS,
            allowed=can_steward_item,
        ),
        action(
            A.COMPLETE, "办理完成", sources=OPEN_ITEM, to=ItemStatus.DONE, allowed=can_steward_item
        ),
        action(
            A.WAIVE, "免于办理", sources=OPEN_ITEM, to=ItemStatus.WAIVED, allowed=can_steward_item
        ),
        action(A.REPLAN, "调整计划", sources=OPEN_ITEM, allowed=can_steward_item),
        action(A.REQUEST_DOCUMENT, "请企业提供材料", sources=OPEN_ITEM, allowed=can_steward_item),
    ],
)

PROJECTS = Process(
    name="projects",
    label="项目",
    model=Project,
    states=ProjectStatus,
    history=ProjectEvent,
    subject="project",
    lock_related=("enterprise",),
    audit_prefix="projects.project",
    url=_project_url,
    number=lambda project: project.name,
    actions=[
        action(A.CREATE, "登记项目", sources=[], allowed=can_register),
        action(A.STEWARD, "更换管家", sources=[ProjectStatus.ACTIVE], allowed=can_assign_steward),
        action(A.NOTE, "记录", sources=ANY_PROJECT, allowed=can_steward),
        action(A.UPLOAD, "上传材料", sources=ANY_PROJECT, allowed=can_upload),
        action(
            A.FINISH,
            "项目竣工",
            sources=[ProjectStatus.ACTIVE],
            to=ProjectStatus.COMPLETED,
            allowed=nobody,
        ),
        action(A.DEADLINE_CHANGED, "期限调整", sources=[ProjectStatus.ACTIVE], allowed=nobody),
    ],
)
