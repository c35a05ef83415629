"""Service indicators (the UK Data Hub's SPIs, in our nodes): how fast investors are answered.

For the leads received in a period: time from intent to first contact and to a responsible
person, days from intent to each node, the share of nodes reached by their planned date, and
how many are slipping now — per officer (the lead's responsible person) and per team.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from qifu.investment.models import NODE_ORDER, Lead, LeadNode, Stage
from qifu.investment.selectors.analysis import Dataset
from qifu.workdays.calendar import WorkCalendar


@dataclass
class Indicator:
    name: str
    leads: int = 0
    contacted: int = 0
    contact_hours: list[float] = field(default_factory=list)
    contacted_in_time: int = 0
    owner_hours: list[float] = field(default_factory=list)
    days_to: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    nodes_planned: int = 0
    nodes_on_time: int = 0
    slipping: int = 0
    signed: int = 0
    producing: int = 0

    def row(self) -> list[Any]:
        def median(values: list[float]) -> float | str:
            return round(statistics.median(values), 1) if values else "—"

        return [
            self.name,
            self.leads,
            self.contacted,
            median(self.contact_hours),
            f"{round(100 * self.contacted_in_time / self.contacted)}%" if self.contacted else "—",
            median(self.owner_hours),
            median(self.days_to[Stage.SIGNED]),
            median(self.days_to[Stage.PRODUCING]),
            f"{round(100 * self.nodes_on_time / self.nodes_planned)}%"
            if self.nodes_planned
            else "—",
            self.slipping,
            self.signed,
            self.producing,
        ]


HEADERS = [
    "对象",
    "线索数",
    "已联系",
    "首次联系用时中位数（小时）",
    "1个工作日内联系",
    "确定负责人用时中位数（小时）",
    "登记至签约中位数（天）",
    "登记至投产中位数（天）",
    "节点按计划完成率",
    "当前滞后",
    "已签约",
    "已投产",
]


def _hours(a: dt.datetime, b: dt.datetime) -> float:
    return max((b - a).total_seconds() / 3600, 0.0)


def service_indicators(
    leads: Any, *, start: dt.date, end: dt.date, calendar: WorkCalendar | None = None
) -> tuple[Dataset, Dataset]:
    """(per officer, per team) for the leads received from `start` to `end` inclusive."""
    calendar = calendar or WorkCalendar()
    tz = timezone.get_default_timezone()
    rows = (
        leads.filter(
            intent_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            intent_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
        )
        .select_related("owner", "team")
        .prefetch_related(Prefetch("nodes", queryset=LeadNode.objects.order_by("id")))
    )
    now = timezone.now()
    limit = settings.INVESTMENT_NODE_WORKING_DAYS.get("contact", 1)
    officers: dict[Any, Indicator] = {}
    teams: dict[Any, Indicator] = {}
    total = Indicator("全部")
    for lead in rows:
        officer_name = (
            (lead.owner.real_name or lead.owner.username) if lead.owner else "未确定负责人"
        )
        team_name = lead.team.name if lead.team else "未分组"
        targets = [
            officers.setdefault(lead.owner_id, Indicator(officer_name)),
            teams.setdefault(lead.team_id, Indicator(team_name)),
            total,
        ]
        for ind in targets:
            _add(ind, lead, now=now, limit=limit, calendar=calendar)
    officer_rows = sorted((i.row() for i in officers.values()), key=lambda r: (-r[1], r[0]))
    team_rows = sorted((i.row() for i in teams.values()), key=lambda r: (-r[1], r[0]))
    return (
        Dataset(
            "officers",
            "服务指标（按招商人员）",
            ["招商人员", *HEADERS[1:]],
            [*officer_rows, total.row()] if officer_rows else [],
            {
                "type": "bar",
                "categories": [r[0] for r in officer_rows],
                "series": [
                    {
                        "name": "首次联系用时中位数（小时）",
                        "data": [r[3] if r[3] != "—" else 0 for r in officer_rows],
                    }
                ],
            },
        ),
        Dataset("teams", "服务指标（按招商小组）", ["招商小组", *HEADERS[1:]], team_rows),
    )


def _add(
    ind: Indicator, lead: Lead, *, now: dt.datetime, limit: int, calendar: WorkCalendar
) -> None:
    ind.leads += 1
    if lead.first_contact_at is not None:
        ind.contacted += 1
        ind.contact_hours.append(_hours(lead.intent_at, lead.first_contact_at))
        due = calendar.deadline_after(start=lead.intent_at, working_days=limit).due_at
        if lead.first_contact_at <= due:
            ind.contacted_in_time += 1
    if lead.owner_assigned_at is not None:
        ind.owner_hours.append(_hours(lead.intent_at, lead.owner_assigned_at))
    for node in lead.nodes.all():
        if node.stage == Stage.LEAD or node.stage not in NODE_ORDER:
            continue
        if node.reached_at is not None:
            ind.days_to[node.stage].append(_hours(lead.intent_at, node.reached_at) / 24)
            if node.planned_on is not None:
                ind.nodes_planned += 1
                if timezone.localdate(node.reached_at) <= node.planned_on:
                    ind.nodes_on_time += 1
    if lead.is_open and lead.next_due_at is not None and lead.next_due_at < now:
        ind.slipping += 1
    stage_index = NODE_ORDER.index(lead.stage) if lead.stage in NODE_ORDER else -1
    if stage_index >= NODE_ORDER.index(Stage.SIGNED):
        ind.signed += 1
    if lead.stage == Stage.PRODUCING:
        ind.producing += 1
