from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qifu.accounts.access import is_government
from qifu.core.pages import page_rule
from qifu.workdays.calendar import WorkCalendar, month_summaries
from qifu.workdays.services import can_maintain_holidays

MIN_YEAR, MAX_YEAR = 2004, 2100


def _year_from(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    return min(max(year, MIN_YEAR), MAX_YEAR)


@page_rule(is_government, "工作日历仅限政府工作人员查看。")
@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Staff view of a year: working days per month, holidays and make-up days, data warnings."""
    user: Any = request.user
    year = _year_from(request)
    calendar = WorkCalendar()
    months = month_summaries(year, calendar)
    status = calendar.year_status(year)
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            "status": status,
            "months": months,
            "cutoff": settings.WORKDAY_CUTOFF,
            "total": sum(m.working_days for m in months),
            "previous_year": year - 1 if year > MIN_YEAR else None,
            "next_year": year + 1 if year < MAX_YEAR else None,
            "can_edit": can_maintain_holidays(user),
        },
    )
