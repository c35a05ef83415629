"""The statutory holidays of a year the State Council has not published yet, computed by law.

《全国年节及纪念日放假办法》 as amended on 2024-11-10 (in force 2025-01-01), article 2, gives
every citizen these days off (13 in all):

- 元旦 1 day (1 January);            - 春节 4 days (农历除夕 and 正月初一至初三);
- 清明节 1 day (the 清明 solar term); - 劳动节 2 days (1–2 May);
- 端午节 1 day (农历五月初五);       - 中秋节 1 day (农历八月十五);
- 国庆节 3 days (1–3 October).

Article 6: a holiday for all citizens that falls on a Saturday or Sunday is made up on a working
day (补假). The law does not say which; we take the exact rule below, the one the State
Council's own schedules follow every year (the make-up day joins the holiday's block):

    For each festival in date order, every one of its days that falls on a Saturday or Sunday,
    or on a day another festival already holds (中秋 on 1–3 October, as in 2028), is made up on
    the first Monday–Friday after the festival's last day that is neither a statutory holiday
    nor already a made-up day.

So the year always has 13 days off on weekdays. What cannot be computed are the make-up working
days (调休上班) the State Council adds to bridge holidays: they are unknown until it publishes
the year, which is why every deadline counted through such a year is provisional (暂定).

除夕 is the day before 正月初一, so a year whose 腊月 has only 29 days (2025, 2026, 2027 …) gets
腊月廿九 as 除夕, as the law means. The lunar dates and the 清明 solar term come from
lunar-python (6tail), checked against the official schedules 2008–2026 and against the solar
terms of chinese_calendar in the tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

# Years lunar-python computes reliably (its tables run wider; deadlines never need more).
FIRST_YEAR, LAST_YEAR = 1901, 2099

SUBSTITUTE_NOTE = "补休"


@dataclass(frozen=True)
class StatutoryDay:
    """A computed day off: a statutory holiday, or the working day that makes one up."""

    on: dt.date
    name: str
    note: str = ""

    @property
    def is_substitute(self) -> bool:
        return self.note.startswith(SUBSTITUTE_NOTE)


def _date(solar: Any) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _solar(lunar: Any) -> dt.date:
    return _date(lunar.getSolar())


def _festivals(year: int) -> list[tuple[str, list[tuple[dt.date, str]]]]:
    """(name, [(day, note)]) of the seven festivals of article 2, in date order."""
    from lunar_python import Lunar, Solar

    new_year = _solar(Lunar.fromYmd(year, 1, 1))
    spring = [
        (new_year - dt.timedelta(days=1), "除夕"),
        (new_year, "正月初一"),
        (new_year + dt.timedelta(days=1), "正月初二"),
        (new_year + dt.timedelta(days=2), "正月初三"),
    ]
    terms = Lunar.fromSolar(Solar.fromYmd(year, 4, 15)).getJieQiTable()
    qingming = _date(terms["清明"])
    festivals = [
        ("元旦", [(dt.date(year, 1, 1), "")]),
        ("春节", spring),
        ("清明节", [(qingming, "")]),
        ("劳动节", [(dt.date(year, 5, 1), ""), (dt.date(year, 5, 2), "")]),
        ("端午节", [(_solar(Lunar.fromYmd(year, 5, 5)), "农历五月初五")]),
        ("中秋节", [(_solar(Lunar.fromYmd(year, 8, 15)), "农历八月十五")]),
        ("国庆节", [(dt.date(year, 10, d), "") for d in (1, 2, 3)]),
    ]
    for name, days in festivals:
        for day, _ in days:
            if day.year != year:  # pragma: no cover - impossible by the calendar's ranges
                raise ValueError(f"{name} {day} 不在 {year} 年")
    return sorted(festivals, key=lambda f: f[1][0][0])


def compute(year: int) -> dict[dt.date, StatutoryDay]:
    """The year's statutory days off and made-up days (article 6, rule above)."""
    festivals = _festivals(year)
    statutory = {day for _, days in festivals for day, _ in days}
    off: dict[dt.date, StatutoryDay] = {}
    for name, days in festivals:
        owed: list[dt.date] = []
        for day, note in days:
            if day.weekday() >= 5 or day in off:
                owed.append(day)
            if day not in off:
                off[day] = StatutoryDay(day, name, note)
        candidate = days[-1][0]
        for held in owed:
            candidate += dt.timedelta(days=1)
            while candidate.weekday() >= 5 or candidate in statutory or candidate in off:
                candidate += dt.timedelta(days=1)
            off[candidate] = StatutoryDay(
                candidate, name, f"{SUBSTITUTE_NOTE}（{held.month}月{held.day}日）"
            )
    return dict(sorted(off.items()))


@functools.lru_cache(maxsize=64)
def statutory_year(year: int) -> dict[dt.date, StatutoryDay] | None:
    """The computed days off of a year, or None when they cannot be computed (never raises)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return compute(year)
    except Exception:  # a library failure must never stop a deadline from being computed
        logger.exception("无法推算%s年的法定节假日，改按周一至周五计算", year)
        return None
