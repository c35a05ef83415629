"""Reading a date or time someone typed: malformed and impossible (2026-02-30) alike give None.

Django's parse_date/parse_datetime return None for a malformed value but raise ValueError for a
well-formed impossible one; every caller that reads user input goes through these instead.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def parse_moment(value: str, *, dates: bool = False) -> dt.datetime | None:
    """An aware datetime (naive ones in the local zone), or None; with `dates`, a bare date is
    the start of that day."""
    value = (value or "").strip()
    try:
        moment = parse_datetime(value)
        if moment is None and dates:
            day = parse_date(value)
            moment = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
