"""Working-day calendar: the due time of "N working days after" an event (docs/api.md)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import Router, Schema

from qifu.workdays.calendar import deadline_after

router = Router(tags=["工作日历"])

MAX_WORKING_DAYS = 366


class DeadlineOut(Schema):
    due_at: datetime
    calendar_warning: str | None
    provisional: bool


@router.get(
    "/deadline",
    response=DeadlineOut,
    auth=None,
    summary="计算第N个工作日的截止时间",
    description=(
        "start 为事件时间（ISO 8601，无时区时按北京时间）；working_days=0 为当日派发规则："
        "工作日17:00前为当日17:00，否则为下一个工作日17:00。"
        "跨越国务院放假安排尚未导入的年份时，按《全国年节及纪念日放假办法》推算法定节假日，"
        "provisional 为 true，calendar_warning 说明原因。"
    ),
)
def deadline(request: HttpRequest, start: str, working_days: str) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    try:
        moment = parse_datetime(start.strip())
    except ValueError:
        moment = None
    if moment is None:
        errors["start"] = ["时间格式不正确，应为 ISO 8601，如 2026-09-30T09:30:00+08:00。"]
    elif timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    count = working_days.strip()
    if not count.lstrip("-").isdigit():
        errors["working_days"] = ["工作日数必须是整数。"]
    elif int(count) < 0:
        errors["working_days"] = ["工作日数不能为负数。"]
    elif int(count) > MAX_WORKING_DAYS:
        errors["working_days"] = [f"工作日数不能超过{MAX_WORKING_DAYS}。"]
    if errors:
        raise ValidationError(errors)
    assert moment is not None
    result = deadline_after(start=moment, working_days=int(count))
    return {
        "due_at": timezone.localtime(result.due_at),
        "calendar_warning": result.calendar_warning,
        "provisional": result.provisional,
    }
