"""The appeal panels of the workbench (工作台): real counts, each linking to its filtered list."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.access import is_platform_staff
from qifu.appeals.models import (
    AWAITING_DISPATCH,
    OPEN_STAGES,
    Appeal,
    Extension,
    ExtensionStatus,
    Stage,
    overdue_q,
)
from qifu.portal.workbench import Counter, Panel, register
from qifu.workdays.calendar import deadline_after


def _due_between(start: Any, end: Any) -> Q:
    return (
        Q(stage__in=AWAITING_DISPATCH, dispatch_due_at__gte=start, dispatch_due_at__lt=end)
        | Q(stage=Stage.DISPATCHED, respond_due_at__gte=start, respond_due_at__lt=end)
        | Q(stage=Stage.RESPONDED, followup_due_at__gte=start, followup_due_at__lt=end)
    )


def _enterprise_panel(user: Any) -> Panel:
    from qifu.appeals.views import awaiting_evaluation

    mine = Appeal.objects.for_user(user)
    url = reverse("appeals:mine")
    open_count = mine.filter(stage__in=OPEN_STAGES).count()
    to_evaluate = awaiting_evaluation(mine).count()
    return Panel(
        title="我的诉求",
        counters=(
            Counter("办理中", open_count, f"{url}?focus=open"),
            Counter(
                "待我评价",
                to_evaluate,
                f"{url}?focus=evaluate",
                tone="warning" if to_evaluate else "primary",
            ),
        ),
        links=(("提交诉求", reverse("appeals:new")), ("全部诉求", url)),
        order=10,
        extra={"kind": "appeals"},
    )


def _staff_panel(user: Any) -> Panel:
    now = timezone.now()
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=999999)
    counts = Appeal.objects.aggregate(
        awaiting=Count("id", filter=Q(stage__in=AWAITING_DISPATCH)),
        overdue=Count("id", filter=overdue_q(now)),
        due_today=Count("id", filter=_due_between(now, end_of_day)),
        followup=Count("id", filter=Q(stage=Stage.RESPONDED)),
        to_close=Count("id", filter=Q(stage=Stage.FOLLOWED_UP)),
        unlinked=Count("id", filter=Q(stage__in=AWAITING_DISPATCH, enterprise__isnull=True)),
        supervised=Count("id", filter=Q(is_supervised=True, stage__in=OPEN_STAGES)),
    )
    extensions = Extension.objects.filter(status=ExtensionStatus.PENDING).count()
    url = reverse("appeals:manage")
    return Panel(
        title="诉求管理",
        counters=(
            Counter("待研判派发", counts["awaiting"], f"{url}?focus=awaiting"),
            Counter("已超期", counts["overdue"], f"{url}?focus=late", tone="danger"),
            Counter("今日到期", counts["due_today"], f"{url}?focus=due_today", tone="warning"),
            Counter("待回访", counts["followup"], f"{url}?stage={Stage.RESPONDED}"),
            Counter("待办结", counts["to_close"], f"{url}?stage={Stage.FOLLOWED_UP}"),
            Counter("待审批延期", extensions, f"{url}?focus=extension"),
            Counter(
                "待确认企业",
                counts["unlinked"],
                f"{url}?focus=unlinked",
                tone="warning" if counts["unlinked"] else "primary",
            ),
            Counter(
                "督办件",
                counts["supervised"],
                f"{url}?supervised=1&focus=open",
                tone="danger" if counts["supervised"] else "primary",
            ),
        ),
        links=(
            ("登记来电来访诉求", reverse("appeals:record")),
            ("全部诉求", url),
            ("督办台", reverse("supervision:board")),
        ),
        order=10,
        extra={"kind": "appeals"},
    )


def _department_panel(user: Any) -> Panel:
    now = timezone.now()
    horizon = deadline_after(start=now, working_days=1).due_at
    current = Q(department_id=user.department_id, stage=Stage.DISPATCHED)
    counts = Appeal.objects.aggregate(
        new=Count("id", filter=current & Q(accepted_at__isnull=True)),
        handling=Count("id", filter=current),
        soon=Count("id", filter=current & Q(respond_due_at__gte=now, respond_due_at__lt=horizon)),
        overdue=Count("id", filter=current & Q(respond_due_at__lt=now)),
    )
    url = reverse("appeals:inbox")
    return Panel(
        title="诉求办理",
        counters=(
            Counter("待签收", counts["new"], f"{url}?focus=unaccepted"),
            Counter("办理中", counts["handling"], f"{url}?stage={Stage.DISPATCHED}"),
            Counter("一个工作日内到期", counts["soon"], f"{url}?focus=due_soon", tone="warning"),
            Counter("已超期", counts["overdue"], f"{url}?focus=late", tone="danger"),
        ),
        links=(("全部派发给本部门的诉求", url),),
        order=10,
        extra={"kind": "appeals"},
    )


@register
def appeal_panels(user: Any) -> list[Panel]:
    """企业: my appeals; platform staff: the queue; a department: what it must handle."""
    from qifu.appeals.views import is_department_user

    if user.enterprise_id:
        return [_enterprise_panel(user)]
    if is_platform_staff(user):
        return [_staff_panel(user)]
    if is_department_user(user):
        return [_department_panel(user)]
    return []
