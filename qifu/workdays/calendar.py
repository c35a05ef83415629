"""The working-day calendar and the deadline rule of the appeal mechanism (measures, arts. 15–17).

Which source decides whether a date is a working day, in order:

1. a `Holiday` row for that date (maintained by administrators, always wins);
2. the `chinese_calendar` package, for the years it covers;
3. for a year with neither package data nor any `Holiday` row, the statutory holidays of
   《全国年节及纪念日放假办法》 computed from the lunar calendar (`statutory.py`), with the
   substitute days of its article 6; the State Council's make-up working days are unknown, so
   every deadline counted through such a year is provisional (暂定) and says so;
4. Monday to Friday, only when that computation is impossible.

A deadline is never refused for lack of data: `calendar_warning_for()` says which years were
estimated and how.

Package data is cached per year for the life of the process (it cannot change). Holiday rows are
read once per `WorkCalendar` and year with one small query, never cached across calls: the web
and the queue worker are separate processes, and an administrator's import in one must be seen
by the next deadline computed in the other.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import chinese_calendar
from django.conf import settings
from django.utils import timezone

from qifu.workdays.models import WEEKDAY_LABELS, Holiday
from qifu.workdays.statutory import StatutoryDay, statutory_year

Source = Literal["package", "database", "package+database", "statutory", "fallback"]
PROVISIONAL_SOURCES = frozenset({"statutory", "fallback"})

# An absurd table (every day of years marked as a day off) must not spin forever.
_SCAN_LIMIT_DAYS = 3660


@dataclass(frozen=True)
class PackageDay:
    is_workday: bool
    name: str


@dataclass(frozen=True)
class YearStatus:
    """Where a year's working days come from, and the warning to show when they are guessed."""

    year: int
    has_package_data: bool
    holiday_rows: int
    has_statutory: bool = False

    @property
    def source(self) -> Source:
        if self.has_package_data and self.holiday_rows:
            return "package+database"
        if self.has_package_data:
            return "package"
        if self.holiday_rows:
            return "database"
        return "statutory" if self.has_statutory else "fallback"

    @property
    def is_fallback(self) -> bool:
        """Monday to Friday only: not even the statutory holidays could be computed."""
        return self.source == "fallback"

    @property
    def is_provisional(self) -> bool:
        """The State Council's schedule of the year is neither built in nor imported."""
        return self.source in PROVISIONAL_SOURCES

    @property
    def source_label(self) -> str:
        return {
            "package": "国务院放假安排（内置数据）",
            "database": "管理员维护的节假日表",
            "package+database": "国务院放假安排（内置数据），并以管理员维护的节假日表为准",
            "statutory": STATUTORY_LABEL,
            "fallback": "未维护，按周一至周五计算（暂定）",
        }[self.source]

    @property
    def warning(self) -> str | None:
        return _warning_text([self]) if self.is_provisional else None


@dataclass(frozen=True)
class Deadline:
    """A computed due time (aware, in the platform's time zone) and any calendar warning."""

    due_at: dt.datetime
    calendar_warning: str | None = None

    @property
    def provisional(self) -> bool:
        """Counted through a year whose official schedule is not known yet (暂定)."""
        return self.calendar_warning is not None


@dataclass(frozen=True)
class SpecialDay:
    """A date whose status differs from or is fixed against the plain Monday–Friday week."""

    on: dt.date
    is_workday: bool
    name: str
    from_database: bool
    # Computed by 《全国年节及纪念日放假办法》, not published by the State Council (推算/暂定).
    computed: bool = False
    note: str = ""

    @property
    def kind_label(self) -> str:
        if self.is_workday:
            return "调休上班"
        return "补休" if self.note.startswith("补休") else "放假"

    @property
    def weekday_label(self) -> str:
        return WEEKDAY_LABELS[self.on.weekday()]


STATUTORY_LABEL = "按《全国年节及纪念日放假办法》推算，暂定"


def _years_label(statuses: Iterable[YearStatus]) -> str:
    return "、".join(str(y) for y in sorted({s.year for s in statuses}))


def _warning_text(statuses: Iterable[YearStatus]) -> str:
    """Why a deadline is provisional (暂定), in Chinese; at most ~150 characters."""
    statuses = list(statuses)
    parts = []
    estimated = [s for s in statuses if s.source == "statutory"]
    guessed = [s for s in statuses if s.source == "fallback"]
    if estimated:
        parts.append(
            f"{_years_label(estimated)}年的国务院放假安排尚未导入，已按《全国年节及纪念日放假办法》"
            "推算法定节假日（含周末补休），调休上班日未知"
        )
    if guessed:
        parts.append(f"{_years_label(guessed)}年的法定节假日安排尚未维护，已按周一至周五计算工作日")
    return "；".join(parts) + "。期限为暂定，管理员导入正式安排后将重新计算。"


@functools.lru_cache(maxsize=64)
def _package_year(year: int) -> dict[dt.date, PackageDay] | None:
    """The package's holidays and make-up days of one year, or None outside its data."""
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return None
    days: dict[dt.date, PackageDay] = {}
    for table, is_workday in (
        (chinese_calendar.holidays, False),
        (chinese_calendar.workdays, True),
    ):
        for day, english in table.items():
            if day.year == year:
                days[day] = PackageDay(is_workday=is_workday, name=_chinese_name(english))
    return days


def _as_date(day: dt.date) -> dt.date:
    """A datetime counts by its local date in the platform's time zone."""
    if isinstance(day, dt.datetime):
        return timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return day


def _chinese_name(english: str) -> str:
    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return english


class WorkCalendar:
    """One consistent view of the calendar; reuse an instance for many dates in one computation."""

    def __init__(self) -> None:
        self._rows: dict[int, dict[dt.date, Holiday]] = {}

    def _holidays(self, year: int) -> dict[dt.date, Holiday]:
        if year not in self._rows:
            self._rows[year] = {h.on: h for h in Holiday.objects.filter(on__year=year)}
        return self._rows[year]

    def is_workday(self, day: dt.date) -> bool:
        day = _as_date(day)
        row = self._holidays(day.year).get(day)
        if row is not None:
            return row.is_workday
        package = _package_year(day.year)
        if package is not None:
            listed = package.get(day)
            if listed is not None:
                return listed.is_workday
        elif not self._holidays(day.year):
            statutory = statutory_year(day.year)
            if statutory is not None and day in statutory:
                return False
        return day.weekday() < 5

    def year_status(self, year: int) -> YearStatus:
        has_package_data = _package_year(year) is not None
        rows = len(self._holidays(year))
        return YearStatus(
            year=year,
            has_package_data=has_package_data,
            holiday_rows=rows,
            has_statutory=not has_package_data and not rows and statutory_year(year) is not None,
        )

    def warning_for(self, start: dt.date, end: dt.date) -> str | None:
        first, last = sorted((_as_date(start).year, _as_date(end).year))
        statuses = [self.year_status(y) for y in range(first, last + 1)]
        provisional = [s for s in statuses if s.is_provisional]
        return _warning_text(provisional) if provisional else None

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The nth working day after `day` (before it when n < 0); `day` itself never counts."""
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        current = _as_date(day)
        for _ in range(_SCAN_LIMIT_DAYS):
            if remaining == 0:
                return current
            current += step
            if self.is_workday(current):
                remaining -= 1
        raise RuntimeError(f"{_SCAN_LIMIT_DAYS} 天内找不到足够的工作日，请检查节假日表。")

    def next_workday(self, day: dt.date) -> dt.date:
        return self.add_working_days(day, 1)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when end < start."""
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        days = (end - start).days
        return sum(1 for i in range(1, days + 1) if self.is_workday(start + dt.timedelta(days=i)))

    def special_days(self, year: int) -> list[SpecialDay]:
        """The year's holidays and make-up working days, Holiday rows winning over the package."""
        days: dict[dt.date, SpecialDay] = {}
        for day, item in (_package_year(year) or {}).items():
            days[day] = SpecialDay(day, item.is_workday, item.name, from_database=False)
        rows = self._holidays(year)
        if _package_year(year) is None and not rows:
            for day, computed in (statutory_year(year) or {}).items():
                days[day] = _computed(computed)
        for day, row in rows.items():
            days[day] = SpecialDay(day, row.is_workday, row.name, from_database=True)
        return [days[d] for d in sorted(days)]

    def deadline_after(self, *, start: dt.datetime, working_days: int) -> Deadline:
        """The cut-off of the Nth working day after the start's day; N = 0: same-day dispatch."""
        if timezone.is_naive(start):
            raise ValueError("start must be an aware datetime")
        if working_days < 0:
            raise ValueError("working_days must not be negative")
        tz = timezone.get_default_timezone()
        local = start.astimezone(tz)
        cutoff: dt.time = settings.WORKDAY_CUTOFF
        day = local.date()
        if working_days == 0:
            # Art. 15: received on a working day before the cut-off → dispatched that day;
            # later, or on a day off → by the cut-off of the next working day.
            if not (self.is_workday(day) and local.time() < cutoff):
                day = self.next_workday(day)
        else:
            day = self.add_working_days(day, working_days)
        due_at = dt.datetime.combine(day, cutoff, tzinfo=tz)
        return Deadline(due_at=due_at, calendar_warning=self.warning_for(local.date(), day))


def _computed(item: StatutoryDay) -> SpecialDay:
    return SpecialDay(item.on, False, item.name, from_database=False, computed=True, note=item.note)


@dataclass
class MonthSummary:
    month: int
    working_days: int
    special_days: list[SpecialDay] = field(default_factory=list)


def month_summaries(year: int, calendar: WorkCalendar | None = None) -> list[MonthSummary]:
    """Working-day count and special days of each month of a year."""
    cal = calendar or WorkCalendar()
    special = cal.special_days(year)
    months = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        last = (
            dt.date(year, 12, 31) if month == 12 else dt.date(year, month + 1, 1) - dt.timedelta(1)
        )
        months.append(
            MonthSummary(
                month=month,
                working_days=cal.working_days_between(first - dt.timedelta(days=1), last),
                special_days=[s for s in special if s.on.month == month],
            )
        )
    return months


# Module-level shortcuts: each call takes a fresh view of the Holiday table.


def is_workday(day: dt.date) -> bool:
    return WorkCalendar().is_workday(day)


def has_builtin_data(year: int) -> bool:
    """The State Council's schedule of the year is built in (no database needed to know it)."""
    return _package_year(year) is not None


def year_status(year: int) -> YearStatus:
    return WorkCalendar().year_status(year)


def calendar_warning_for(start: dt.date, end: dt.date) -> str | None:
    """A Chinese warning naming the years in [start, end] computed without holiday data."""
    return WorkCalendar().warning_for(start, end)


def add_working_days(day: dt.date, n: int) -> dt.date:
    return WorkCalendar().add_working_days(day, n)


def working_days_between(start_date: dt.date, end_date: dt.date) -> int:
    return WorkCalendar().working_days_between(start_date, end_date)


def deadline_after(*, start: dt.datetime, working_days: int) -> Deadline:
    """The due time of "N working days after" an event (PRODUCT.md, the appeal mechanism)."""
    return WorkCalendar().deadline_after(start=start, working_days=working_days)
