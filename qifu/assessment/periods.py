"""Assessment periods: a month `YYYY-MM`, a quarter `YYYY-Qn` or a year `YYYY`, in local time."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """An unreadable or impossible period; the message is Chinese and shown to the user."""


@dataclass(frozen=True)
class Period:
    key: str  # canonical: 2026-09, 2026-Q3, 2026
    kind: str  # month, quarter, year
    start: dt.datetime  # aware, local midnight of the first day
    end: dt.datetime  # aware, local midnight of the day after the last day

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年"

    @property
    def last_day(self) -> dt.date:
        return (timezone.localtime(self.end) - dt.timedelta(days=1)).date()

    def effective_end(self, now: dt.datetime | None = None) -> dt.datetime:
        """The end of the period, or now while it is still running: nothing is counted as missed
        before its time."""
        return min(self.end, now or timezone.now())

    def is_complete(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end


def _aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _month_after(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1)


def parse_period(value: str, *, now: dt.datetime | None = None) -> Period:
    """Read `YYYY-MM`, `YYYY-Qn` or `YYYY`; refuse what cannot be one or has not begun."""
    text = (value or "").strip()
    if not text:
        raise PeriodError("请填写考核周期，例如 2026-09、2026-Q3 或 2026。")
    if len(text) > 10 or any(ord(c) < 32 for c in text):
        raise PeriodError("考核周期格式不正确，应为 YYYY-MM、YYYY-Qn 或 YYYY。")
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise PeriodError("月份应为01至12。")
        first, after, key, kind = (
            dt.date(year, month, 1),
            _month_after(year, month),
            f"{year}-{month:02d}",
            "month",
        )
    elif m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        first = dt.date(year, 3 * quarter - 2, 1)
        after, key, kind = _month_after(year, 3 * quarter), f"{year}-Q{quarter}", "quarter"
    elif m := _YEAR.match(text):
        year = int(m[1])
        first, after, key, kind = dt.date(year, 1, 1), dt.date(year + 1, 1, 1), str(year), "year"
    else:
        raise PeriodError("考核周期格式不正确，应为 YYYY-MM、YYYY-Qn 或 YYYY。")
    if not 2000 <= first.year <= 2100:
        raise PeriodError("年份应在2000至2100之间。")
    start = _aware(first)
    if start > (now or timezone.now()):
        raise PeriodError("该考核周期尚未开始。")
    return Period(key=key, kind=kind, start=start, end=_aware(after))


def previous_month(now: dt.datetime | None = None) -> Period:
    """The last complete month: the default period of the pages."""
    today = timezone.localtime(now or timezone.now()).date()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return parse_period(f"{last.year}-{last.month:02d}", now=now)


def recent_periods(now: dt.datetime | None = None, months: int = 6) -> list[str]:
    """Period keys offered in the chooser: recent months, quarters and the years."""
    today = timezone.localtime(now or timezone.now()).date()
    keys: list[str] = []
    year, month = today.year, today.month
    for _ in range(months):
        keys.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    quarter = (today.month - 1) // 3 + 1
    keys += [f"{today.year}-Q{q}" for q in range(quarter, 0, -1)]
    keys += [str(today.year), str(today.year - 1)]
    return keys
