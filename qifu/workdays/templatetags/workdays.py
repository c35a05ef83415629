"""`{% provisional_mark due %}`: the 暂定 mark beside a deadline counted through a year whose
official holiday schedule is not known yet (computed from the statutory holidays only).

The mark follows the calendar as it is now, so it disappears as soon as an administrator imports
the year. One calendar lookup per year and request, however many deadlines a list shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from qifu.workdays.calendar import WorkCalendar, has_builtin_data

register = template.Library()

TITLE = "该年国务院放假安排尚未公布或导入，期限按法定节假日推算，导入正式安排后将重新计算。"


def is_provisional(due: dt.date | dt.datetime | None, memo: dict[int, bool] | None = None) -> bool:
    if due is None:
        return False
    year = due.year
    if memo is not None and year in memo:
        return memo[year]
    # A year the built-in official data covers is never provisional: no query for it.
    result = not has_builtin_data(year) and WorkCalendar().year_status(year).is_provisional
    if memo is not None:
        memo[year] = result
    return result


@register.simple_tag(takes_context=True)
def provisional_mark(context: Any, due: dt.date | dt.datetime | None) -> SafeString | str:
    request = context.get("request")
    memo: dict[int, bool] | None = None
    if request is not None:
        memo = getattr(request, "_qifu_provisional_years", None)
        if memo is None:
            memo = {}
            request._qifu_provisional_years = memo
    if not is_provisional(due, memo):
        return ""
    return format_html(
        '<span class="badge bg-yellow-lt qifu-provisional" title="{}">暂定</span>', TITLE
    )
