"""The workbench panel warning government staff that a year's holiday schedule is missing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from qifu.portal.workbench import Panel, register
from qifu.workdays.calendar import WorkCalendar


def years_to_check(today: dt.date) -> list[int]:
    """This year, and from December 1 on also the next one (deadlines spill over New Year)."""
    return [today.year, today.year + 1] if today.month == 12 else [today.year]


@register
def calendar_panel(user: Any) -> list[Panel]:
    if not (user.is_superuser or getattr(user, "is_government", False)):
        return []
    today = timezone.localdate()
    calendar = WorkCalendar()
    missing = [y for y in years_to_check(today) if calendar.year_status(y).is_fallback]
    if not missing:
        return []
    warning = calendar.warning_for(dt.date(missing[0], 1, 1), dt.date(missing[-1], 1, 1))
    return [
        Panel(
            title="工作日历",
            note=warning or "",
            links=(("查看工作日历", reverse("workdays:calendar") + f"?year={missing[0]}"),),
            order=5,
        )
    ]
