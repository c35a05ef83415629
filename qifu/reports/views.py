"""The reply-rate monitoring page for the platform (measures, article 7)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from qifu.accounts.models import Role
from qifu.core.audit import audit_record
from qifu.core.exports import xlsx_file_response
from qifu.core.forms import StyledFormMixin
from qifu.core.pages import page_rule
from qifu.reports import exports
from qifu.reports.selectors import PERIODS, period_bounds, reply_rates


def can_view_reports(user: Any) -> bool:
    """Platform staff, supervisors (督查领导) and superusers."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_role(Role.PLATFORM_STAFF, Role.SUPERVISOR))
    )


class PeriodForm(StyledFormMixin, forms.Form):
    period = forms.ChoiceField(label="统计周期", required=False, choices=list(PERIODS.items()))
    day = forms.DateField(
        label="所在日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="统计这一天所在的周、月或季度",
        error_messages={"invalid": "请填写正确的日期。"},
    )

    def bounds(self) -> tuple[str, dt.date, dt.date]:
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or "month"
        first, after = period_bounds(period=period, day=data.get("day") or timezone.localdate())
        return period, first, after


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@page_rule(can_view_reports, "回复率监测仅限平台工作人员和督查领导查看。")
@require_GET
def reply_rate_report(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period, first, after = form.bounds()
    rows = reply_rates(start=_aware(first), end=_aware(after))
    last = after - dt.timedelta(days=1)
    if request.GET.get("format") == "xlsx":
        audit_record(
            action="reports.reply_rates.export",
            actor=request.user,
            summary=f"导出回复率 {first:%Y-%m-%d}–{last:%Y-%m-%d}",
            data={"period": period, "start": first.isoformat(), "end": last.isoformat()},
        )
        return xlsx_file_response(
            exports.reply_rates_workbook(rows, first=first, last=last),
            filename=f"reply-rates-{first:%Y%m%d}-{last:%Y%m%d}.xlsx",
        )
    chart = {
        "labels": [f"{r.department}（{r.source_label}）" for r in rows],
        "reply": [round((r.reply_rate or 0) * 100, 1) for r in rows],
        "on_time": [round((r.on_time_rate or 0) * 100, 1) for r in rows],
    }
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "reports/reply_rates.html",
        {
            "form": form,
            "rows": rows,
            "chart": chart,
            "first": first,
            "last": last,
            "period_label": PERIODS[period],
            "export_query": query.urlencode(),
        },
    )
