"""The statutory holidays of 《全国年节及纪念日放假办法》, computed from the lunar calendar."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from qifu.workdays import statutory
from qifu.workdays.calendar import WorkCalendar, month_summaries
from qifu.workdays.statutory import compute, statutory_year


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_2027_has_the_thirteen_days_of_the_law_on_weekdays_and_their_substitutes() -> None:
    days = compute(2027)

    assert {day: (s.name, s.note) for day, s in days.items()} == {
        d("2027-01-01"): ("元旦", ""),
        # 腊月 of 丙午 has 29 days: 除夕 is 腊月廿九, the day before 正月初一 (6 February).
        d("2027-02-05"): ("春节", "除夕"),
        d("2027-02-06"): ("春节", "正月初一"),
        d("2027-02-07"): ("春节", "正月初二"),
        d("2027-02-08"): ("春节", "正月初三"),
        d("2027-02-09"): ("春节", "补休（2月6日）"),
        d("2027-02-10"): ("春节", "补休（2月7日）"),
        d("2027-04-05"): ("清明节", ""),
        d("2027-05-01"): ("劳动节", ""),
        d("2027-05-02"): ("劳动节", ""),
        d("2027-05-03"): ("劳动节", "补休（5月1日）"),
        d("2027-05-04"): ("劳动节", "补休（5月2日）"),
        d("2027-06-09"): ("端午节", "农历五月初五"),
        d("2027-09-15"): ("中秋节", "农历八月十五"),
        d("2027-10-01"): ("国庆节", ""),
        d("2027-10-02"): ("国庆节", ""),
        d("2027-10-03"): ("国庆节", ""),
        d("2027-10-04"): ("国庆节", "补休（10月2日）"),
        d("2027-10-05"): ("国庆节", "补休（10月3日）"),
    }


@pytest.mark.parametrize("year", range(2025, 2036))
def test_every_year_has_thirteen_weekdays_off(year: int) -> None:
    assert sum(1 for day in compute(year) if day.weekday() < 5) == 13


def test_mid_autumn_on_a_national_day_is_made_up_too() -> None:
    # 2028: 中秋 is 3 October, a day 国庆节 already holds; 1 October is a Sunday.
    days = compute(2028)

    assert days[d("2028-10-03")].name == "国庆节"
    assert days[d("2028-10-04")].note == "补休（10月1日）"
    assert (days[d("2028-10-05")].name, days[d("2028-10-05")].note) == ("中秋节", "补休（10月3日）")
    assert d("2028-10-06") not in days


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_computed_days_are_days_off_in_the_official_schedules_under_the_2024_law(
    year: int,
) -> None:
    # The State Council's 2025 and 2026 schedules contain every day the rule gives.
    for day, item in compute(year).items():
        assert chinese_calendar.is_holiday(day), (day, item)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_lunar_festivals_fall_on_official_holidays_every_year_since_2008(year: int) -> None:
    festivals = dict(statutory._festivals(year))
    for name in ("清明节", "端午节", "中秋节"):
        [(day, _)] = festivals[name]
        assert chinese_calendar.is_holiday(day), (name, day)
    new_year = festivals["春节"][1][0]
    assert chinese_calendar.get_holiday_detail(new_year)[1] == "Spring Festival"


@pytest.mark.parametrize("year", range(2004, 2100))
def test_qingming_is_the_solar_term_of_chinese_calendar(year: int) -> None:
    [(qingming, _)] = [
        t
        for t in chinese_calendar.get_solar_terms(d(f"{year}-04-01"), d(f"{year}-04-10"))
        if t[1] == "清明"
    ]
    [(day, _)] = dict(statutory._festivals(year))["清明节"]
    assert day == qingming


@pytest.mark.parametrize(
    ("year", "eve"),
    [(2025, "2025-01-28"), (2026, "2026-02-16"), (2027, "2027-02-05"), (2024, "2024-02-09")],
)
def test_new_years_eve_is_the_last_day_of_the_lunar_year_even_in_a_29_day_month(
    year: int, eve: str
) -> None:
    assert next(k for k, v in compute(year).items() if v.note == "除夕") == d(eve)


def test_a_failure_of_the_library_is_never_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    statutory_year.cache_clear()

    def broken(year: int) -> None:
        raise RuntimeError("lunar data missing")

    monkeypatch.setattr(statutory, "compute", broken)
    try:
        assert statutory_year(2031) is None
        assert statutory_year(1800) is None
    finally:
        statutory_year.cache_clear()


@pytest.mark.django_db
def test_the_calendar_lists_the_computed_days_as_estimated() -> None:
    days = {s.on: s for s in WorkCalendar().special_days(2027)}

    assert days[d("2027-02-05")].computed
    assert days[d("2027-02-05")].kind_label == "放假"
    assert days[d("2027-02-09")].kind_label == "补休"
    assert not days[d("2027-02-09")].is_workday
    # 250 working days: 261 weekdays less the 11 computed weekday days off… and 2 on weekends.
    assert sum(m.working_days for m in month_summaries(2027)) == 261 - 13
