from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qifu.workdays.calendar import WorkCalendar, month_summaries
from qifu.workdays.services import can_maintain_holidays

MIN_YEAR, MAX_YEAR = 2004, 2100


def _year_from(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    return min(max(year, MIN_YEAR), MAX_YEAR)


@login_required
@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    """Staff view of a year: working days per month, holidays and make-up days, data warnings."""
    user = request.user
    if not (user.is_superuser or getattr(user, "is_government", False)):
        raise PermissionDenied("仅政府工作人员可查看工作日历。")
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
