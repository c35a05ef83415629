"""The workbench panel telling calendar administrators that a year's schedule is to be imported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from qifu.portal.workbench import Panel, register
from qifu.workdays.calendar import WorkCalendar, YearStatus
from qifu.workdays.services import can_maintain_holidays

# The State Council publishes next year's schedule in October–November (facts §6.1).
NEXT_YEAR_FROM = (11, 1)


def years_to_check(today: dt.date) -> list[int]:
    """This year, and from 1 November on also the next one (deadlines spill over New Year)."""
    if (today.month, today.day) >= NEXT_YEAR_FROM:
        return [today.year, today.year + 1]
    return [today.year]


def _note(missing: list[YearStatus]) -> str:
    years = "、".join(str(s.year) for s in missing)
    if all(s.source == "statutory" for s in missing):
        how = "期限暂按《全国年节及纪念日放假办法》推算的法定节假日计算，调休上班日未知"
    else:
        how = "期限暂按推算的法定节假日或周一至周五计算"
    return (
        f"{years}年的国务院放假安排尚未导入，{how}。请在国务院办公厅公布后导入节假日表，"
        "已计算的期限将随之重新计算。"
    )


@register
def calendar_panel(user: Any) -> list[Panel]:
    """Only for those who may import holidays; from 1 November until next year is imported."""
    if not can_maintain_holidays(user):
        return []
    calendar = WorkCalendar()
    statuses = [calendar.year_status(y) for y in years_to_check(timezone.localdate())]
    missing = [s for s in statuses if s.is_provisional]
    if not missing:
        return []
    return [
        Panel(
            title="工作日历",
            note=_note(missing),
            links=(
                ("查看工作日历", reverse("workdays:calendar") + f"?year={missing[0].year}"),
                ("维护节假日", reverse("admin:workdays_holiday_changelist")),
            ),
            order=5,
        )
    ]
