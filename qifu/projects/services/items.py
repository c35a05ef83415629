"""The steward's work on a project's approval items: start, complete, waive, replan (and shift
the items that follow), ask the enterprise for a document; the item process of workflow.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from qifu.accounts.models import User
from qifu.core.audit import audit_record
from qifu.core.uploads import attachment_check
from qifu.projects import planning
from qifu.projects.models import EventAction, ProjectItem
from qifu.projects.services.common import check_date, enterprise_users, today
from qifu.projects.services.documents import store_document
from qifu.projects.services.projects import refresh_progress
from qifu.projects.workflow import ITEMS
from qifu.workdays.calendar import WorkCalendar


def project_item_start(*, actor: User, item: ProjectItem, on: dt.date | None = None) -> ProjectItem:
    """Record that the item's application has been made (办理中)."""
    on = on or today()
    check_date(on, "actual_start_on")
    with ITEMS.act(item, EventAction.START, actor=actor) as step:
        locked = step.obj
        locked.actual_start_on = on
        step.notify(
            enterprise_users(locked.project),
            f"审批事项开始办理：{locked.name}",
            f"“{locked.project.name}”的“{locked.name}”已于{on:%m月%d日}开始办理。",
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
    on = on or today()
    kind = None
    if document is not None:
        try:
            kind = attachment_check(document)
        except ValidationError as error:
            raise ValidationError({"document": error.messages}) from error
    with ITEMS.act(item, EventAction.COMPLETE, actor=actor) as step:
        locked = step.obj
        check_date(on, "actual_end_on", not_before=locked.actual_start_on)
        locked.actual_start_on = locked.actual_start_on or on
        locked.actual_end_on = on
        locked.document_requested = ""
        step.note = note
        if document is not None and kind is not None:
            store_document(locked.project, locked, document, kind, actor)
        step.notify(
            enterprise_users(locked.project),
            f"审批事项已完成：{locked.name}",
            f"“{locked.project.name}”的“{locked.name}”已于{on:%m月%d日}办结。",
        )
        step.then(lambda: refresh_progress(locked.project, actor))
    return locked


def project_item_waive(*, actor: User, item: ProjectItem, reason: str) -> ProjectItem:
    """Mark the item 免于办理, with the reason (e.g. 带方案出让 land: no 设计方案审查)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请说明免于办理的理由。"})
    with ITEMS.act(item, EventAction.WAIVE, actor=actor) as step:
        locked = step.obj
        locked.waive_reason = reason[:200]
        locked.document_requested = ""
        step.note = reason
        step.notify(
            enterprise_users(locked.project),
            f"审批事项免于办理：{locked.name}",
            f"“{locked.project.name}”的“{locked.name}”免于办理：{reason}",
        )
        step.then(lambda: refresh_progress(locked.project, actor))
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
    with ITEMS.act(item, EventAction.REPLAN, actor=actor) as step:
        locked = step.obj
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
        step.note = note
        if moved:
            audit_record(
                action="projects.item.replan_cascade",
                actor=actor,
                target=locked,
                summary=f"{project.name} · {locked.name} 顺延后续事项 {len(moved)} 项"[:200],
                data={"moved": [f"{name} {change}" for name, change in moved]},
            )
        followers = f"，后续 {len(moved)} 个事项随之顺延" if moved else ""
        step.notify(
            enterprise_users(project),
            f"审批计划调整：{locked.name}",
            f"“{locked.name}”计划调整为 {after}{followers}。原因：{reason}",
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
    with ITEMS.act(item, EventAction.REQUEST_DOCUMENT, actor=actor) as step:
        locked = step.obj
        locked.document_requested = what[:200]
        step.note = what
        step.notify(
            enterprise_users(locked.project),
            f"请上传材料：{locked.name}",
            f"项目管家请您为“{locked.name}”上传：{what}",
        )
    return locked
