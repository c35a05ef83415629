"""The 商务局 workbench panel: new leads to contact, node deadlines, slips, reviews, tasks."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qifu.investment import access
from qifu.investment.catalogue import KINDS
from qifu.investment.models import FollowUpTask, Lead, Stage, TaskStatus, Visit
from qifu.portal.workbench import Counter, Panel, register
from qifu.workdays.calendar import deadline_after


@register
def investment_panel(user: Any) -> list[Panel]:
    if not access.can_read_pipeline(user):
        return []
    now = timezone.now()
    horizon = deadline_after(start=now, working_days=1).due_at
    leads = Lead.objects.for_user(user).open()
    counts = leads.aggregate(
        fresh=Count("id", filter=Q(stage=Stage.LEAD, first_contact_at__isnull=True)),
        due=Count("id", filter=Q(next_due_at__gt=now, next_due_at__lte=horizon)),
        slipping=Count("id", filter=Q(next_due_at__lte=now)),
        open=Count("id"),
    )
    projects = reverse("investment:projects")
    counters = [
        Counter("在谈项目", counts["open"], projects),
        Counter(
            "待首次联系",
            counts["fresh"],
            f"{projects}?stage=lead",
            tone="warning" if counts["fresh"] else "primary",
        ),
        Counter(
            "节点1个工作日内到期",
            counts["due"],
            projects,
            tone="warning" if counts["due"] else "primary",
        ),
        Counter(
            "节点滞后",
            counts["slipping"],
            f"{projects}?slipping=on",
            tone="danger" if counts["slipping"] else "primary",
        ),
    ]
    if access.is_investment_staff(user):
        tasks = FollowUpTask.objects.filter(assignee=user, status=TaskStatus.OPEN)
        counters.append(
            Counter(
                "我的跟进任务",
                tasks.count(),
                reverse("investment:tasks"),
                tone="danger" if tasks.filter(due_at__lt=now).exists() else "primary",
            )
        )
    if user.administers_section("investment"):
        waiting = sum(kind.model.objects.reviewable_by(user).count() for kind in KINDS.values())
        counters.append(
            Counter(
                "资料待审核",
                waiting,
                reverse("investment:review"),
                tone="warning" if waiting else "primary",
            )
        )
    month_start = timezone.localdate().replace(day=1)
    counters.append(
        Counter(
            "本月来访出访",
            Visit.objects.filter(visited_on__gte=month_start).count(),
            reverse("investment:visits"),
        )
    )
    links = [("招商项目", projects), ("来访出访", reverse("investment:visits"))]
    if access.is_investment_staff(user):
        links.insert(1, ("录入线索", reverse("investment:lead_new")))
        links.append(("招商资料库", reverse("investment:library")))
    links += [
        ("决策支持", reverse("investment:decision")),
        ("服务指标", reverse("investment:indicators")),
    ]
    return [
        Panel(
            title="智慧招商",
            counters=tuple(counters),
            links=tuple(links),
            order=20,
            extra={"kind": "investment"},
        )
    ]
