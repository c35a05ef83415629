"""The working-day calendar and the deadline rule (PRODUCT.md, "The appeal mechanism")."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from qifu.workdays import calendar
from qifu.workdays.calendar import (
    WorkCalendar,
    add_working_days,
    calendar_warning_for,
    deadline_after,
    is_workday,
    month_summaries,
    working_days_between,
    year_status,
)
from qifu.workdays.models import Holiday
from qifu.workdays.services import holiday_upsert, seed_official_holidays

SHANGHAI = ZoneInfo("Asia/Shanghai")

# chinesecalendar 1.11.0 (pinned in requirements/base.txt) ends with 2026.
YEAR_WITHOUT_DATA = 2027


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0, ss: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=SHANGHAI)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# rongcheng-facts.md §6.4: start day, +N working days, due day.
WORKED_EXAMPLES = [
    ("2025-01-24", 5, "2025-02-07"),
    ("2025-01-27", 1, "2025-02-05"),
    ("2025-04-30", 3, "2025-05-08"),
    ("2025-05-30", 1, "2025-06-03"),
    ("2025-09-26", 5, "2025-10-10"),
    ("2025-09-30", 1, "2025-10-09"),
    ("2025-12-31", 1, "2026-01-04"),
    ("2026-02-13", 1, "2026-02-14"),
    ("2026-02-13", 5, "2026-02-27"),
    ("2026-04-30", 5, "2026-05-11"),
    ("2026-06-18", 1, "2026-06-22"),
    ("2026-09-18", 15, "2026-10-15"),
    ("2026-09-30", 3, "2026-10-10"),
]

MONTHLY_COUNTS = {
    2025: [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23],
    2026: [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23],
}


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "n", "due"), WORKED_EXAMPLES)
def test_worked_examples_end_at_17_00_of_the_nth_working_day(start: str, n: int, due: str) -> None:
    result = deadline_after(start=at(*map(int, start.split("-"))), working_days=n)

    assert result.due_at == dt.datetime.combine(d(due), dt.time(17), tzinfo=SHANGHAI)
    assert result.calendar_warning is None
    assert add_working_days(d(start), n) == d(due)
    assert working_days_between(d(start), d(due)) == n


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "n", "due"), WORKED_EXAMPLES)
def test_worked_examples_hold_when_the_official_table_is_in_the_database(
    start: str, n: int, due: str
) -> None:
    seed_official_holidays()

    assert add_working_days(d(start), n) == d(due)


@pytest.mark.django_db
def test_the_event_day_never_counts_even_when_the_event_happens_after_the_cutoff() -> None:
    result = deadline_after(start=at(2026, 3, 10, 22, 30), working_days=1)

    assert result.due_at == at(2026, 3, 11, 17)


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "counts"), MONTHLY_COUNTS.items())
def test_working_days_per_month_match_the_official_schedule(year: int, counts: list[int]) -> None:
    assert [m.working_days for m in month_summaries(year)] == counts
    assert working_days_between(dt.date(year - 1, 12, 31), dt.date(year, 12, 31)) == 248


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "counts"), MONTHLY_COUNTS.items())
def test_seeded_official_table_gives_the_same_monthly_counts(year: int, counts: list[int]) -> None:
    seed_official_holidays()

    assert [m.working_days for m in month_summaries(year)] == counts


@pytest.mark.django_db
def test_seeded_official_table_agrees_with_the_package_on_every_day() -> None:
    seed_official_holidays()
    cal = WorkCalendar()
    rows = {h.on: h.is_workday for h in Holiday.objects.all()}
    day = dt.date(2025, 1, 1)
    while day.year < 2027:
        from_table = rows.get(day, day.weekday() < 5)
        assert from_table == chinese_calendar.is_workday(day), day
        assert cal.is_workday(day) == from_table, day
        day += dt.timedelta(days=1)


@pytest.mark.django_db
def test_seeding_the_official_table_twice_changes_nothing() -> None:
    first = seed_official_holidays()
    second = seed_official_holidays()

    assert first.count("created") == Holiday.objects.count() > 0
    assert second.count("created") == second.count("updated") == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "due"),
    [
        (at(2026, 3, 10, 9, 0), at(2026, 3, 10, 17)),  # Tuesday morning: the same day
        (at(2026, 3, 10, 16, 59, 59), at(2026, 3, 10, 17)),
        (at(2026, 3, 10, 17, 0), at(2026, 3, 11, 17)),  # exactly at the cut-off: next day
        (at(2026, 3, 10, 18, 30), at(2026, 3, 11, 17)),
        (at(2026, 3, 13, 18, 0), at(2026, 3, 16, 17)),  # Friday evening: Monday
        (at(2026, 3, 14, 10, 0), at(2026, 3, 16, 17)),  # Saturday: Monday
        (at(2026, 1, 4, 10, 0), at(2026, 1, 4, 17)),  # 调休 Sunday is a working day
        (at(2026, 9, 20, 16, 0), at(2026, 9, 20, 17)),  # 调休 Sunday before National Day
        (at(2026, 9, 30, 17, 30), at(2026, 10, 8, 17)),  # after the cut-off before the holiday
        (at(2026, 10, 3, 9, 0), at(2026, 10, 8, 17)),  # during National Day
    ],
)
def test_same_day_dispatch_rule(start: dt.datetime, due: dt.datetime) -> None:
    assert deadline_after(start=start, working_days=0).due_at == due


@pytest.mark.django_db
def test_the_cutoff_is_judged_in_beijing_time_whatever_the_zone_of_the_start() -> None:
    utc = ZoneInfo("UTC")
    before = dt.datetime(2026, 3, 10, 8, 30, tzinfo=utc)  # 16:30 in Beijing
    after = dt.datetime(2026, 3, 10, 9, 30, tzinfo=utc)  # 17:30 in Beijing

    assert deadline_after(start=before, working_days=0).due_at == at(2026, 3, 10, 17)
    due = deadline_after(start=after, working_days=0).due_at
    assert due == at(2026, 3, 11, 17)
    assert due.utcoffset() == dt.timedelta(hours=8)


@pytest.mark.django_db
def test_the_cutoff_comes_from_settings(settings: Any) -> None:
    settings.WORKDAY_CUTOFF = dt.time(17, 30)

    assert deadline_after(start=at(2026, 3, 10, 17, 15), working_days=0).due_at == at(
        2026, 3, 10, 17, 30
    )


@pytest.mark.django_db
def test_a_naive_start_or_negative_count_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        deadline_after(start=dt.datetime(2026, 3, 10, 9), working_days=1)
    with pytest.raises(ValueError, match="negative"):
        deadline_after(start=at(2026, 3, 10), working_days=-1)


@pytest.mark.django_db
def test_a_year_without_data_counts_the_statutory_holidays_and_is_provisional() -> None:
    # 2026-12-31 is a Thursday; 元旦 2027 (Friday) is a statutory day off, then the weekend.
    result = deadline_after(start=at(2026, 12, 31, 10), working_days=1)

    assert result.due_at == at(2027, 1, 4, 17)
    assert result.provisional is True
    assert result.calendar_warning == (
        "2027年的国务院放假安排尚未导入，已按《全国年节及纪念日放假办法》推算法定节假日"
        "（含周末补休），调休上班日未知。期限为暂定，管理员导入正式安排后将重新计算。"
    )
    assert is_workday(dt.date(2027, 1, 1)) is False
    assert is_workday(dt.date(2027, 1, 2)) is False
    status = year_status(YEAR_WITHOUT_DATA)
    assert status.source == "statutory" and status.is_provisional and not status.is_fallback
    assert status.warning == result.calendar_warning


@pytest.mark.django_db
def test_monday_to_friday_only_when_the_lunar_computation_is_impossible(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(calendar, "statutory_year", lambda year: None)

    result = deadline_after(start=at(2026, 12, 31, 10), working_days=1)

    assert result.due_at == at(2027, 1, 1, 17)
    assert result.calendar_warning == (
        "2027年的法定节假日安排尚未维护，已按周一至周五计算工作日。"
        "期限为暂定，管理员导入正式安排后将重新计算。"
    )
    assert year_status(YEAR_WITHOUT_DATA).is_fallback


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (at(2027, 3, 5, 10), 1, at(2027, 3, 8, 17)),  # Friday → Monday
        (at(2027, 3, 6, 10), 0, at(2027, 3, 8, 17)),  # Saturday → Monday
        (at(2027, 3, 8, 9), 0, at(2027, 3, 8, 17)),
        (at(2027, 2, 4, 10), 1, at(2027, 2, 11, 17)),  # 春节: 除夕 5 Feb … 补休 10 Feb
        (at(2027, 4, 2, 10), 1, at(2027, 4, 6, 17)),  # 清明 on Monday 5 April
        (at(2027, 9, 30, 10), 15, at(2027, 10, 26, 17)),  # 国庆 1–3 Oct + 补休 4–5 Oct
    ],
)
def test_a_start_in_a_year_without_data_skips_the_statutory_holidays(
    start: dt.datetime, n: int, due: dt.datetime
) -> None:
    result = deadline_after(start=start, working_days=n)

    assert result.due_at == due
    assert result.calendar_warning is not None
    assert "2027年" in result.calendar_warning


@pytest.mark.django_db
def test_a_deadline_entirely_inside_covered_years_has_no_warning() -> None:
    assert calendar_warning_for(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) is None
    assert year_status(2026).source == "package"


@pytest.mark.django_db
def test_the_warning_names_every_year_without_data() -> None:
    warning = calendar_warning_for(dt.date(2026, 12, 1), dt.date(2028, 1, 5))

    assert warning is not None
    assert warning.startswith("2027、2028年的国务院放假安排尚未导入")


@pytest.mark.django_db
def test_holiday_rows_for_a_year_without_package_data_replace_the_estimate() -> None:
    holiday_upsert(on=dt.date(2027, 1, 1), is_workday=False, name="元旦")

    result = deadline_after(start=at(2026, 12, 31, 10), working_days=1)

    assert result.due_at == at(2027, 1, 4, 17)  # Friday off, then the weekend
    assert result.calendar_warning is None
    assert year_status(YEAR_WITHOUT_DATA).source == "database"


@pytest.mark.django_db
def test_a_make_up_working_day_in_the_database_counts() -> None:
    holiday_upsert(on=dt.date(2027, 1, 2), is_workday=True, name="元旦")

    assert add_working_days(dt.date(2027, 1, 1), 1) == dt.date(2027, 1, 2)


@pytest.mark.django_db
def test_a_holiday_row_overrides_the_package_data() -> None:
    # An extra day off decided locally, e.g. a typhoon closure on a Tuesday.
    assert is_workday(dt.date(2026, 3, 10)) is True
    holiday_upsert(on=dt.date(2026, 3, 10), is_workday=False, name="台风停工")

    assert is_workday(dt.date(2026, 3, 10)) is False
    assert deadline_after(start=at(2026, 3, 10, 9), working_days=0).due_at == at(2026, 3, 11, 17)
    assert year_status(2026).source == "package+database"


@pytest.mark.django_db
def test_a_change_to_the_table_is_seen_by_the_next_computation() -> None:
    assert is_workday(dt.date(2027, 3, 1)) is True
    holiday, _ = holiday_upsert(on=dt.date(2027, 3, 1), is_workday=False, name="台风停工")
    assert is_workday(dt.date(2027, 3, 1)) is False
    holiday.delete()
    assert is_workday(dt.date(2027, 3, 1)) is True


@pytest.mark.django_db
def test_counting_backwards_and_between_dates_in_reverse() -> None:
    assert add_working_days(dt.date(2026, 10, 8), -1) == dt.date(2026, 9, 30)
    assert add_working_days(dt.date(2026, 10, 8), 0) == dt.date(2026, 10, 8)
    assert working_days_between(dt.date(2026, 10, 10), dt.date(2026, 9, 30)) == -3


@pytest.mark.django_db
def test_special_days_list_package_days_with_chinese_names_and_rows_first() -> None:
    holiday_upsert(on=dt.date(2026, 10, 10), is_workday=True, name="国庆节调休")

    days = {s.on: s for s in WorkCalendar().special_days(2026)}

    assert days[dt.date(2026, 2, 17)].name == "春节"
    assert days[dt.date(2026, 2, 17)].is_workday is False
    assert days[dt.date(2026, 2, 14)].kind_label == "调休上班"
    assert days[dt.date(2026, 10, 10)].from_database
    assert days[dt.date(2026, 10, 10)].name == "国庆节调休"


@pytest.mark.django_db
def test_package_data_is_read_once_per_year(django_assert_num_queries: object) -> None:
    calendar._package_year.cache_clear()
    cal = WorkCalendar()
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert cal.working_days_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == 248
    assert calendar._package_year.cache_info().misses == 1
