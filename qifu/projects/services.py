"""Every write to a project goes through here: locked, audited, with a history row and the
enterprise notified after commit.

`ALLOWED` says in which item statuses each steward action may happen; `_item_transition()` locks
the item, refuses what the table forbids (TransitionNotAllowed → HTTP 409; a double submit lands
here too), and the caller's change, its event and its notifications happen in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.core.audit import audit_record
from qifu.core.uploads import ATTACHMENT_MIME, attachment_check
from qifu.core.workflow import TransitionNotAllowed as BaseTransitionNotAllowed
from qifu.notifications.services import notify
from qifu.projects import planning
from qifu.projects.defaults import DEFAULT_ITEMS
from qifu.projects.models import (
    CLOSED_ITEM_STATUSES,
    STAGE_ORDER,
    EventAction,
    ItemStatus,
    Project,
    ProjectDocument,
    ProjectEvent,
    ProjectItem,
    ProjectItemTemplate,
    ProjectKind,
    ProjectStatus,
    project_code_validator,
)
from qifu.workdays.calendar import WorkCalendar
from qifu.workspace.models import AssignmentRole
from qifu.workspace.selectors.assignments import serves, steward_for

ACTION_LABELS: dict[str, str] = dict(EventAction.choices)
OPEN = frozenset({ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS})

ALLOWED: dict[str, frozenset[str]] = {
    "start": frozenset({ItemStatus.NOT_STARTED}),
    "complete": OPEN,
    "waive": OPEN,
    "replan": OPEN,
    "request_document": OPEN,
}

MAX_DOCUMENTS = 50


class TransitionNotAllowed(BaseTransitionNotAllowed):
    """The item's status does not allow this action (HTTP 409)."""

    def __init__(self, item: ProjectItem, action: str) -> None:
        super().__init__(
            f"事项“{item.name}”当前状态为“{ItemStatus(item.status).label}”，"
            f"不能执行“{ACTION_LABELS.get(action, action)}”。可能已被他人处理，请刷新后查看。"
        )


# --- who may act -----------------------------------------------------------------------------


def can_steward(user: Any, project: Project) -> bool:
    """The project's steward, or platform staff (who assign stewards and stand in for them)."""
    if not getattr(user, "is_authenticated", False) or user.enterprise_id:
        return False
    return bool(user.is_platform_staff or (user.is_government and project.steward_id == user.pk))


def check_steward(user: Any, project: Project) -> None:
    if not can_steward(user, project):
        raise PermissionDenied("只有该项目的项目管家可以执行此操作。")


# Other sections may let their staff register the construction project of an enterprise they
# bring onto the platform (智慧招商: a registered investment project); an app appends its check
# `(user, enterprise) -> bool` in AppConfig.ready().
creator_checks: list[Callable[[Any, Enterprise], bool]] = []


def can_create_for(user: Any, enterprise: Enterprise) -> bool:
    if not getattr(user, "is_authenticated", False) or user.enterprise_id:
        return False
    if user.is_platform_staff:
        return True
    if any(check(user, enterprise) for check in creator_checks):
        return True
    return bool(user.has_role(Role.STEWARD) and serves(user, enterprise, AssignmentRole.STEWARD))


def _actor_label(user: Any) -> str:
    if user is None:
        return "系统"
    if user.enterprise_id:
        return "企业"
    if user.has_role(Role.STEWARD):
        return f"{user.real_name or user.username}（项目管家）"
    if user.department_id:
        return str(user.department.display_name)
    return "平台管理员" if user.is_superuser else ""


def _today() -> dt.date:
    return timezone.localdate()


# --- history and notifications ---------------------------------------------------------------


def _event(
    project: Project,
    *,
    action: str,
    actor: Any,
    item: ProjectItem | None = None,
    note: str = "",
    is_internal: bool = False,
) -> ProjectEvent:
    event = ProjectEvent.objects.create(
        project=project,
        item=item,
        action=action,
        actor=actor,
        actor_label=_actor_label(actor),
        at=timezone.now(),
        note=note,
        is_internal=is_internal,
    )
    what = f"{project.name}" + (f" · {item.name}" if item else "")
    audit_record(
        action=f"projects.{'item' if item else 'project'}.{action}",
        actor=actor,
        target=item or project,
        summary=f"{what} {ACTION_LABELS.get(action, action)}"[:200],
    )
    return event


def _enterprise_users(project: Project) -> Callable[[], Iterable[Any]]:
    enterprise_id = project.enterprise_id
    return lambda: User.objects.filter(enterprise_id=enterprise_id, is_active=True)


def _notify_on_commit(
    *, users: Callable[[], Iterable[Any]], project: Project, title: str, body: str
) -> None:
    url = reverse("projects:detail", args=[project.pk])

    def send() -> None:
        notify(users=list(users()), code="generic", context={"title": title, "body": body}, url=url)

    transaction.on_commit(send)


# --- templates and planning ------------------------------------------------------------------


def project_templates_load(*, dry_run: bool = False) -> dict[str, int]:
    """Add the default items missing from the template table; never overwrites a city's edits."""
    existing = set(ProjectItemTemplate.objects.values_list("code", flat=True))
    missing = [d for d in DEFAULT_ITEMS if d.code not in existing]
    if not dry_run:
        with transaction.atomic():
            for d in missing:
                ProjectItemTemplate.objects.get_or_create(
                    code=d.code,
                    defaults={
                        "name": d.name,
                        "stage": d.stage,
                        "department_code": d.department_code,
                        "working_days": d.working_days,
                        "order": d.order,
                        "depends_on": d.depends_on,
                    },
                )
    return {"created": len(missing), "unchanged": len(DEFAULT_ITEMS) - len(missing)}


def _copy_templates(project: Project) -> list[ProjectItem]:
    templates = sorted(
        ProjectItemTemplate.objects.filter(is_active=True),
        key=lambda t: (STAGE_ORDER.index(t.stage), t.order, t.pk),
    )
    if not templates:
        raise ValidationError(
            {"__all__": "尚未配置项目事项模板，请先运行 load_project_templates。"}
        )
    departments = {
        d.code: d
        for d in Department.objects.filter(code__in={t.department_code for t in templates})
    }
    items = ProjectItem.objects.bulk_create(
        [
            ProjectItem(
                project=project,
                code=t.code,
                stage=t.stage,
                name=t.name,
                department=departments.get(t.department_code),
                working_days=t.working_days,
                order=t.order,
            )
            for t in templates
        ]
    )
    by_code = {i.code: i for i in items}
    by_stage: dict[str, list[ProjectItem]] = {}
    for item in items:
        by_stage.setdefault(item.stage, []).append(item)
    through = ProjectItem.depends_on.through
    links: list[Any] = []
    for template, item in zip(templates, items, strict=True):
        codes = template.dependency_codes
        if codes:
            prerequisites = [by_code[c] for c in codes if c in by_code and c != item.code]
        else:
            # Blank: the stage gate — every item of the nearest earlier stage that has items.
            earlier = [s for s in STAGE_ORDER[: STAGE_ORDER.index(item.stage)] if s in by_stage]
            prerequisites = by_stage[earlier[-1]] if earlier else []
        links.extend(
            through(from_projectitem_id=item.pk, to_projectitem_id=p.pk) for p in prerequisites
        )
    through.objects.bulk_create(links)
    return items


def _apply_plan(project: Project, calendar: WorkCalendar) -> None:
    items = list(project.items.prefetch_related("depends_on"))
    spans = planning.plan(
        planning.inputs_from_items(items), start_on=project.planned_start_on, calendar=calendar
    )
    for item in items:
        span = spans[item.pk]
        item.planned_start_on, item.planned_end_on = span.start, span.end
    ProjectItem.objects.bulk_update(items, ["planned_start_on", "planned_end_on"])
    project.planned_completion_on = planning.completion(spans.values())
    project.save(update_fields=["planned_completion_on", "updated_at"])


def _refresh_progress(project: Project, actor: Any) -> None:
    """Keep the stored current stage and status in step with the items (for lists and filters)."""
    items = list(project.items.all())
    open_stages = [i.stage for i in items if i.status not in CLOSED_ITEM_STATUSES]
    fields = ["current_stage", "updated_at"]
    if open_stages:
        project.current_stage = min(open_stages, key=STAGE_ORDER.index)
    else:
        project.current_stage = max((i.stage for i in items), key=STAGE_ORDER.index)
        if project.status == ProjectStatus.ACTIVE:
            project.status = ProjectStatus.COMPLETED
            project.completed_on = max(
                (i.actual_end_on for i in items if i.actual_end_on), default=_today()
            )
            fields += ["status", "completed_on"]
            _event(project, action=EventAction.FINISH, actor=actor, note="全部审批事项已办结。")
    project.save(update_fields=fields)


# --- projects ---------------------------------------------------------------------------------


def project_create(
    *,
    actor: User,
    enterprise: Enterprise,
    name: str,
    total_investment: Decimal,
    planned_start_on: dt.date,
    code: str = "",
    kind: str = ProjectKind.RECORD,
    town: Department | None = None,
    site: str = "",
    steward: User | None = None,
) -> Project:
    """Register a project: copy the standard items and plan them from the planned start."""
    if not can_create_for(actor, enterprise):
        raise PermissionDenied("只有平台工作人员或该企业的项目管家可以登记项目。")
    errors: dict[str, str] = {}
    name = name.strip()
    code = code.strip()
    if not name:
        errors["name"] = "请填写项目名称。"
    if code:
        try:
            project_code_validator(code)
        except ValidationError as error:
            errors["code"] = error.messages[0]
        else:
            if Project.objects.filter(code=code).exists():
                errors["code"] = "该项目代码已登记。"
    if total_investment is None or total_investment < 0:
        errors["total_investment"] = "总投资不能为负数。"
    if kind not in ProjectKind.values:
        errors["kind"] = "请选择项目类型。"
    if steward is not None and not steward.has_role(Role.STEWARD):
        errors["steward"] = "所选人员不是项目管家。"
    if errors:
        raise ValidationError(errors)
    if steward is None:
        steward = steward_for(enterprise)
    if steward is None and actor.has_role(Role.STEWARD):
        steward = actor
    calendar = WorkCalendar()
    with transaction.atomic():
        project = Project.objects.create(
            enterprise=enterprise,
            name=name[:200],
            code=code,
            kind=kind,
            total_investment=total_investment,
            town=town or enterprise.region,
            site=site.strip()[:200],
            planned_start_on=planned_start_on,
            steward=steward,
            created_by=actor,
        )
        _copy_templates(project)
        _apply_plan(project, calendar)
        _event(project, action=EventAction.CREATE, actor=actor)
        _notify_on_commit(
            users=_enterprise_users(project),
            project=project,
            title=f"项目已登记：{project.name}",
            body=(
                f"您的项目已纳入项目管家服务，计划于{project.planned_completion_on:%Y年%m月%d日}"
                "前完成全部审批事项。"
            ),
        )
    return project


def project_steward_change(*, actor: User, project: Project, steward: User) -> Project:
    """Assign or change the project's steward (platform staff)."""
    if not (actor.is_platform_staff and not actor.enterprise_id):
        raise PermissionDenied("只有平台工作人员可以指定项目管家。")
    if not steward.has_role(Role.STEWARD) or not steward.is_active:
        raise ValidationError({"steward": "所选人员不是在岗的项目管家。"})
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.steward_id == steward.pk:
            return locked
        locked.steward = steward
        locked.save(update_fields=["steward", "updated_at"])
        _event(locked, action=EventAction.STEWARD, actor=actor, note=f"项目管家：{steward}")
        _notify_on_commit(
            users=lambda: [steward],
            project=locked,
            title=f"新的管家项目：{locked.name}",
            body=f"您已被指定为“{locked.enterprise.name}”项目的项目管家。",
        )
    return locked


# --- item actions (the steward) ---------------------------------------------------------------


@contextmanager
def _item_transition(item_id: int, action: str, actor: Any) -> Iterator[ProjectItem]:
    """Lock the item (and its project), check permission and the table, run the change."""
    with transaction.atomic():
        item = (
            ProjectItem.objects.select_for_update(of=("self",))
            .select_related("project", "project__enterprise")
            .get(pk=item_id)
        )
        check_steward(actor, item.project)
        if item.status not in ALLOWED[action]:
            raise TransitionNotAllowed(item, action)
        yield item


def _check_date(on: dt.date, field: str, *, not_before: dt.date | None = None) -> None:
    if on > _today():
        raise ValidationError({field: "实际日期不能晚于今天。"})
    if not_before and on < not_before:
        raise ValidationError({field: f"不能早于开始日期 {not_before:%Y-%m-%d}。"})


def project_item_start(*, actor: User, item: ProjectItem, on: dt.date | None = None) -> ProjectItem:
    """Record that the item's application has been made (办理中)."""
    on = on or _today()
    _check_date(on, "actual_start_on")
    with _item_transition(item.pk, "start", actor) as locked:
        locked.status = ItemStatus.IN_PROGRESS
        locked.actual_start_on = on
        locked.save(update_fields=["status", "actual_start_on", "updated_at"])
        _event(locked.project, action=EventAction.START, actor=actor, item=locked)
        _notify_on_commit(
            users=_enterprise_users(locked.project),
            project=locked.project,
            title=f"审批事项开始办理：{locked.name}",
            body=f"“{locked.project.name}”的“{locked.name}”已于{on:%m月%d日}开始办理。",
        )
    return locked


def project_item_complete(
    *,
    actor: User,
    item: ProjectItem,
    on: dt.date | None = None,
    note: str = "",
    document: Any = None,
) -> ProjectItem:
    """Record that the item is done (with the licence or approval, optionally)."""
    on = on or _today()
    kind = None
    if document is not None:
        try:
            kind = attachment_check(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error
    with _item_transition(item.pk, "complete", actor) as locked:
        _check_date(on, "actual_end_on", not_before=locked.actual_start_on)
        locked.status = ItemStatus.DONE
        locked.actual_start_on = locked.actual_start_on or on
        locked.actual_end_on = on
        locked.document_requested = ""
        locked.save(
            update_fields=[
                "status",
                "actual_start_on",
                "actual_end_on",
                "document_requested",
                "updated_at",
            ]
        )
        _event(locked.project, action=EventAction.COMPLETE, actor=actor, item=locked, note=note)
        if document is not None and kind is not None:
            _store_document(locked.project, locked, document, kind, actor)
        _refresh_progress(locked.project, actor)
        _notify_on_commit(
            users=_enterprise_users(locked.project),
            project=locked.project,
            title=f"审批事项已完成：{locked.name}",
            body=f"“{locked.project.name}”的“{locked.name}”已于{on:%m月%d日}办结。",
        )
    return locked


def project_item_waive(*, actor: User, item: ProjectItem, reason: str) -> ProjectItem:
    """Mark the item 免于办理, with the reason (e.g. 带方案出让 land: no 设计方案审查)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请说明免于办理的理由。"})
    with _item_transition(item.pk, "waive", actor) as locked:
        locked.status = ItemStatus.WAIVED
        locked.waive_reason = reason[:200]
        locked.document_requested = ""
        locked.save(update_fields=["status", "waive_reason", "document_requested", "updated_at"])
        _event(locked.project, action=EventAction.WAIVE, actor=actor, item=locked, note=reason)
        _refresh_progress(locked.project, actor)
        _notify_on_commit(
            users=_enterprise_users(locked.project),
            project=locked.project,
            title=f"审批事项免于办理：{locked.name}",
            body=f"“{locked.project.name}”的“{locked.name}”免于办理：{reason}",
        )
    return locked


def project_item_replan(
    *,
    actor: User,
    item: ProjectItem,
    planned_start_on: dt.date,
    planned_end_on: dt.date,
    reason: str,
    cascade: bool = False,
) -> ProjectItem:
    """Change an open item's planned dates, with the reason; the project's plan follows.

    With `cascade` (顺延后续事项), the open items that depend on this one, transitively, are
    replanned after it by the working-day calendar (`planning.cascade`); the one replan event
    lists what moved.
    """
    reason = reason.strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "请说明调整计划的原因。"
    if planned_end_on < planned_start_on:
        errors["planned_end_on"] = "计划完成日期不能早于计划开始日期。"
    if errors:
        raise ValidationError(errors)
    with _item_transition(item.pk, "replan", actor) as locked:
        before = f"{locked.planned_start_on:%Y-%m-%d}～{locked.planned_end_on:%Y-%m-%d}"
        locked.planned_start_on, locked.planned_end_on = planned_start_on, planned_end_on
        locked.planned_by_hand = True
        locked.save(
            update_fields=["planned_start_on", "planned_end_on", "planned_by_hand", "updated_at"]
        )
        project = locked.project
        moved = _cascade_replan(locked, calendar=WorkCalendar()) if cascade else []
        ends = project.items.exclude(planned_end_on=None).values_list("planned_end_on", flat=True)
        project.planned_completion_on = max((e for e in ends if e), default=planned_end_on)
        project.save(update_fields=["planned_completion_on", "updated_at"])
        after = f"{planned_start_on:%Y-%m-%d}～{planned_end_on:%Y-%m-%d}"
        note = f"计划由 {before} 调整为 {after}。原因：{reason}"
        if cascade:
            note += (
                "\n顺延后续事项：" + "；".join(f"{name} {change}" for name, change in moved)
                if moved
                else "\n顺延后续事项：无需调整。"
            )
        _event(project, action=EventAction.REPLAN, actor=actor, item=locked, note=note)
        if moved:
            audit_record(
                action="projects.item.replan_cascade",
                actor=actor,
                target=locked,
                summary=f"{project.name} · {locked.name} 顺延后续事项 {len(moved)} 项"[:200],
                data={"moved": [f"{name} {change}" for name, change in moved]},
            )
        followers = f"，后续 {len(moved)} 个事项随之顺延" if moved else ""
        _notify_on_commit(
            users=_enterprise_users(project),
            project=project,
            title=f"审批计划调整：{locked.name}",
            body=f"“{locked.name}”计划调整为 {after}{followers}。原因：{reason}",
        )
    return locked


def locked_plan(project_id: int) -> tuple[list[ProjectItem], dict[Hashable, planning.Span | None]]:
    """A project's items, locked, in plan order, with their planned spans (None when unplanned)."""
    items = list(
        ProjectItem.objects.select_for_update()
        .filter(project_id=project_id)
        .prefetch_related("depends_on")
        .order_by("order", "id")
    )
    planned: dict[Hashable, planning.Span | None] = {
        i.pk: planning.Span(i.planned_start_on, i.planned_end_on)
        if i.planned_start_on and i.planned_end_on
        else None
        for i in items
    }
    return items, planned


def _cascade_replan(item: ProjectItem, *, calendar: WorkCalendar) -> list[tuple[str, str]]:
    """Replan the open followers of `item` (already saved, and locked by the caller); returns
    (name, "before → after") of each item that moved."""
    items, planned = locked_plan(item.project_id)
    assert item.planned_start_on is not None and item.planned_end_on is not None
    changed = planning.cascade(
        planning.inputs_from_items(items),
        moved=item.pk,
        span=planning.Span(item.planned_start_on, item.planned_end_on),
        planned=planned,
        calendar=calendar,
    )
    moved: list[tuple[str, str]] = []
    updated: list[ProjectItem] = []
    for follower in items:
        span = changed.get(follower.pk)
        if span is None:
            continue
        moved.append(
            (
                follower.name,
                f"{follower.planned_start_on:%Y-%m-%d}～{follower.planned_end_on:%Y-%m-%d} → "
                f"{span.start:%Y-%m-%d}～{span.end:%Y-%m-%d}",
            )
        )
        follower.planned_start_on, follower.planned_end_on = span.start, span.end
        follower.updated_at = timezone.now()
        updated.append(follower)
    ProjectItem.objects.bulk_update(updated, ["planned_start_on", "planned_end_on", "updated_at"])
    return moved


def project_item_request_document(*, actor: User, item: ProjectItem, what: str) -> ProjectItem:
    """Ask the enterprise to upload a document for the item."""
    what = what.strip()
    if not what:
        raise ValidationError({"what": "请说明需要企业提供的材料。"})
    with _item_transition(item.pk, "request_document", actor) as locked:
        locked.document_requested = what[:200]
        locked.save(update_fields=["document_requested", "updated_at"])
        _event(
            locked.project,
            action=EventAction.REQUEST_DOCUMENT,
            actor=actor,
            item=locked,
            note=what,
        )
        _notify_on_commit(
            users=_enterprise_users(locked.project),
            project=locked.project,
            title=f"请上传材料：{locked.name}",
            body=f"项目管家请您为“{locked.name}”上传：{what}",
        )
    return locked


def project_note_add(
    *, actor: User, project: Project, note: str, is_internal: bool = True
) -> ProjectEvent:
    """A steward's note on the project; internal notes are never shown to the enterprise."""
    check_steward(actor, project)
    note = note.strip()
    if not note:
        raise ValidationError({"note": "请填写记录内容。"})
    with transaction.atomic():
        event = _event(
            project, action=EventAction.NOTE, actor=actor, note=note[:2000], is_internal=is_internal
        )
        if not is_internal:
            _notify_on_commit(
                users=_enterprise_users(project),
                project=project,
                title=f"项目进展：{project.name}",
                body=note[:200],
            )
    return event


# --- documents -------------------------------------------------------------------------------


def _store_document(
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
    is_steward = can_steward(actor, project)
    is_owner = bool(actor.enterprise_id and actor.enterprise_id == project.enterprise_id)
    if not (is_steward or is_owner):
        raise PermissionDenied("您无权为该项目上传材料。")
    if item is not None and item.project_id != project.pk:
        raise ValidationError({"item": "事项不属于该项目。"})
    try:
        kind = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.documents.count() >= MAX_DOCUMENTS:
            raise ValidationError({"file": f"每个项目最多上传{MAX_DOCUMENTS}个文件。"})
        locked_item = None
        if item is not None:
            locked_item = ProjectItem.objects.select_for_update().get(pk=item.pk)
        # The enterprise answers a request: only for an item whose request is still open.
        if not is_steward and (locked_item is None or not locked_item.document_requested):
            raise ValidationError({"item": "请选择项目管家要求提供材料的事项。"})
        document = _store_document(locked, locked_item, upload, kind, actor)
        text = f"{document.original_name}" + (f"：{note.strip()}" if note.strip() else "")
        _event(locked, action=EventAction.UPLOAD, actor=actor, item=locked_item, note=text[:2000])
        if locked_item is not None and not is_steward:
            locked_item.document_requested = ""
            locked_item.save(update_fields=["document_requested", "updated_at"])
        if is_steward:
            _notify_on_commit(
                users=_enterprise_users(locked),
                project=locked,
                title=f"项目材料已上传：{locked.name}",
                body=f"项目管家上传了“{document.original_name}”。",
            )
        elif locked.steward_id:
            steward_id = locked.steward_id
            _notify_on_commit(
                users=lambda: User.objects.filter(pk=steward_id),
                project=locked,
                title=f"企业已上传材料：{locked.name}",
                body=f"{locked.enterprise.name}上传了“{document.original_name}”。",
            )
    return document
