"""Measures over the other sections' records: message and consultation replies, matter
applications and declarations within their limits, information freshness (art. 18) and
liaison/administrator coverage (art. 11)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Q

from qifu.assessment.measures.base import Case, Context, hours_label, local_label

# --- messages and consultations (reply rates, qifu/reports) ------------------------------------


def message_reply_rate(ctx: Context) -> Iterator[Case]:
    from qifu.board.models import Message
    from qifu.reports.selectors import message_items

    items = [i for i in message_items(ctx.start, ctx.end) if i.department_id and i.ref]
    messages = Message.objects.in_bulk([i.ref for i in items])
    for item in items:
        m = messages[item.ref]  # type: ignore[index]
        detail = "按时回复" if item.on_time else ("已回复但超时" if item.replied else "未回复")
        yield Case(
            kind="message",
            ref=m.pk,
            number=m.number,
            title=m.title,
            department_id=item.department_id,  # type: ignore[arg-type]
            at=m.created_at,
            detail=detail,
            hit=item.on_time,
        )


def consultation_reply_rate(ctx: Context) -> Iterator[Case]:
    from qifu.assistant.models import Consultation
    from qifu.reports.selectors import consultation_items

    items = [i for i in consultation_items(ctx.start, ctx.end) if i.department_id and i.ref]
    consultations = Consultation.objects.in_bulk([i.ref for i in items])
    for item in items:
        c = consultations[item.ref]  # type: ignore[index]
        detail = "按时回复" if item.on_time else ("已回复但超时" if item.replied else "未回复")
        yield Case(
            kind="consultation",
            ref=c.pk,
            number=f"ZX{c.pk:06d}",
            title=c.question[:60],
            department_id=item.department_id,  # type: ignore[arg-type]
            at=c.created_at,
            detail=detail,
            hit=item.on_time,
        )


# --- applications: 办件 and 项目申报 ------------------------------------------------------------


def matters_late(ctx: Context) -> Iterator[Case]:
    from qifu.matters.models import MatterApplication

    rows = MatterApplication.objects.filter(
        due_at__gte=ctx.start, due_at__lt=ctx.end
    ).select_related("matter")
    for app in rows:
        due: dt.datetime = app.due_at  # type: ignore[assignment]
        if app.decided_at is not None and app.decided_at <= due:
            continue
        detail = (
            f"办结晚于期限{hours_label(app.decided_at - due)}"
            if app.decided_at
            else f"办理期限{local_label(app.due_at)}届满未办结"
        )
        yield Case(
            kind="matter",
            ref=app.pk,
            number=app.number,
            title=app.matter.name,
            department_id=app.matter.department_id,
            at=app.due_at,
            detail=detail,
        )


def declarations_late(ctx: Context) -> Iterator[Case]:
    from qifu.declarations.models import Application, ApplicationEvent

    rows = list(
        Application.objects.filter(
            Q(accept_due_at__gte=ctx.start, accept_due_at__lt=ctx.end)
            | Q(decide_due_at__gte=ctx.start, decide_due_at__lt=ctx.end)
        ).select_related("call")
    )
    events: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for app_id, action, at in ApplicationEvent.objects.filter(
        application__in=[a.pk for a in rows]
    ).values_list("application_id", "action", "at"):
        events[app_id].append((action, at))
    checks = (
        ("accept_due_at", ("accept", "return", "reject"), "受理"),
        ("decide_due_at", ("approve", "reject", "return"), "审核"),
    )
    for app in rows:
        for due_field, actions, what in checks:
            due = getattr(app, due_field)
            if due is None or not ctx.start <= due < ctx.end:
                continue
            window = due - dt.timedelta(days=60)
            if any(a in actions and window <= at <= due for a, at in events[app.pk]):
                continue
            yield Case(
                kind="declaration",
                ref=app.pk,
                number=app.number,
                title=app.project_name,
                department_id=app.call.provider_department_id,
                at=due,
                detail=f"{what}期限{local_label(due)}前未{what}",
            )


# --- information freshness (art. 18) and coverage (art. 11) ------------------------------------

REVIEW_AFTER = dt.timedelta(days=365)


def stale_info(ctx: Context) -> Iterator[Case]:
    from qifu.content.models import FinancingNeed, JobPosting
    from qifu.policies.models import Policy
    from qifu.publishing.models import PublicationStatus

    today = ctx.end.date()
    live = Q(status=PublicationStatus.PUBLISHED, published_at__lt=ctx.end)
    for p in Policy.objects.filter(live).filter(
        Q(expires_on__lt=today)
        | (
            Q(updated_at__lt=ctx.end - REVIEW_AFTER)
            & (Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=ctx.end - REVIEW_AFTER))
        )
    ):
        detail = (
            f"已于{p.expires_on:%Y-%m-%d}失效仍在发布"
            if p.expires_on and p.expires_on < today
            else "发布超过一年未复核更新"
        )
        yield Case(
            kind="policy",
            ref=p.pk,
            number=p.code,
            title=p.title,
            department_id=p.issuer_id,
            at=p.published_at,
            detail=detail,
        )
    for model in (JobPosting, FinancingNeed):
        for item in model.objects.filter(live, expires_on__lt=today).select_related("enterprise"):
            yield Case(
                kind="posting",
                ref=item.pk,
                number=f"{model.KIND}-{item.pk}",
                title=str(getattr(item, "title", "") or item),
                department_id=item.provider_department_id,
                at=item.published_at,
                detail=f"{item.kind_label}已于{item.expires_on:%Y-%m-%d}到期仍在发布，未清理",
            )


def coverage_gap(ctx: Context) -> Iterator[Case]:
    from qifu.accounts.models import Department, DepartmentKind, Role, RoleGrant

    held = set(
        RoleGrant.objects.filter(
            role__in=[Role.LIAISON, Role.DEPARTMENT_ADMIN],
            created_at__lt=ctx.end,
            user__is_active=True,
        ).values_list("role", "department_id")
    )
    for unit in Department.objects.filter(is_active=True, created_at__lt=ctx.end):
        needed = Role.LIAISON if unit.kind == DepartmentKind.AGENCY else Role.DEPARTMENT_ADMIN
        if (needed, unit.pk) in held:
            continue
        who = "联络员" if needed == Role.LIAISON else "管理员"
        yield Case(
            kind="unit",
            ref=unit.pk,
            number=unit.code,
            title=unit.name,
            department_id=unit.pk,
            at=ctx.end,
            detail=f"期末未明确平台{who}（第十一条）",
        )
