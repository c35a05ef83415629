"""Projects: templates, registration and planning, the steward, notes; the project process."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from qifu.accounts.models import Department, Enterprise, Role, User
from qifu.projects import planning
from qifu.projects.defaults import DEFAULT_ITEMS
from qifu.projects.models import (
    CLOSED_ITEM_STATUSES,
    STAGE_ORDER,
    EventAction,
    Project,
    ProjectEvent,
    ProjectItem,
    ProjectItemTemplate,
    ProjectKind,
    ProjectStatus,
    project_code_validator,
)
from qifu.projects.services.common import enterprise_users, today
from qifu.projects.workflow import PROJECTS, can_create_for
from qifu.workdays.calendar import WorkCalendar
from qifu.workspace.selectors.assignments import steward_for


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


def refresh_progress(project: Project, actor: Any) -> None:
    """Keep the stored current stage and status in step with the items (for lists and filters)."""
    items = list(project.items.all())
    open_stages = [i.stage for i in items if i.status not in CLOSED_ITEM_STATUSES]
    fields = ["current_stage", "updated_at"]
    if open_stages:
        project.current_stage = min(open_stages, key=STAGE_ORDER.index)
    else:
        project.current_stage = max((i.stage for i in items), key=STAGE_ORDER.index)
        if project.status == ProjectStatus.ACTIVE:
            project.completed_on = max(
                (i.actual_end_on for i in items if i.actual_end_on), default=today()
            )
            fields += ["completed_on"]
            project.save(update_fields=fields)
            with PROJECTS.act(project, EventAction.FINISH, actor=None) as step:
                step.note = "全部审批事项已办结。"
            return
    project.save(update_fields=fields)


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
        raise PermissionDenied(PROJECTS.actions[EventAction.CREATE].refusal)
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
    project = Project(
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
    with PROJECTS.start(
        project, EventAction.CREATE, actor=actor, state=ProjectStatus.ACTIVE
    ) as step:
        project.save()
        _copy_templates(project)
        _apply_plan(project, calendar)
        step.notify(
            enterprise_users(project),
            f"项目已登记：{project.name}",
            f"您的项目已纳入项目管家服务，计划于{project.planned_completion_on:%Y年%m月%d日}"
            "前完成全部审批事项。",
        )
    return project


def project_steward_change(*, actor: User, project: Project, steward: User) -> Project:
    """Assign or change the project's steward (platform staff)."""
    if not steward.has_role(Role.STEWARD) or not steward.is_active:
        raise ValidationError({"steward": "所选人员不是在岗的项目管家。"})
    if not PROJECTS.can(actor, EventAction.STEWARD, project):
        raise PermissionDenied(PROJECTS.actions[EventAction.STEWARD].refusal)
    if project.steward_id == steward.pk:
        return project
    with PROJECTS.act(project, EventAction.STEWARD, actor=actor) as step:
        locked = step.obj
        locked.steward = steward
        step.note = f"项目管家：{steward}"
        step.notify(
            [steward],
            f"新的管家项目：{locked.name}",
            f"您已被指定为“{locked.enterprise.name}”项目的项目管家。",
        )
    return locked


def project_note_add(
    *, actor: User, project: Project, note: str, is_internal: bool = True
) -> ProjectEvent:
    """A steward's note on the project; internal notes are never shown to the enterprise."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "请填写记录内容。"})
    with PROJECTS.act(project, EventAction.NOTE, actor=actor) as step:
        step.note = note[:2000]
        step.is_public = not is_internal
        if not is_internal:
            step.notify(enterprise_users(project), f"项目进展：{project.name}", note[:200])
    event: ProjectEvent = step.events[-1]
    return event
