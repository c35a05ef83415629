"""Stored deadlines follow the calendar: when a year's holidays change, open deadlines are redone.

Every app that stores working-day deadlines registers a *deadline source* in its
`AppConfig.ready()`:

    register_deadline_source("appeals", "企业诉求", recompute_open_deadlines)

where `recompute_open_deadlines(years)` recomputes each of its open items whose deadline may be
affected by those years, from what the deadline was computed from (the event's stored time and
the working days of its rule), writes the change on the item's own timeline, tells the people
responsible and returns how many items changed. It must be idempotent: an item whose deadline
does not change gets no event, so a second run does nothing. Imports flow one way: this module
knows no domain app; the apps come to it.

The holiday services schedule a run after their transaction commits (`schedule_recompute`): in
the worker through django-q2, or synchronously if the queue cannot be reached. The
`import_holidays` command runs it itself and prints the counts, and `recompute_deadlines YEAR…`
runs it by hand (e.g. after upgrading chinesecalendar to a version with a new year).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from qifu.workdays.calendar import WorkCalendar

logger = logging.getLogger(__name__)

Recompute = Callable[[frozenset[int]], int]


@dataclass(frozen=True)
class DeadlineSource:
    key: str
    label: str
    recompute: Recompute


_sources: dict[str, DeadlineSource] = {}


def register_deadline_source(key: str, label: str, recompute: Recompute) -> None:
    """Register (or replace, for a reloaded app) the recompute function of one app."""
    _sources[key] = DeadlineSource(key, label, recompute)


def deadline_sources() -> list[DeadlineSource]:
    return list(_sources.values())


def affected_from(years: Iterable[int]) -> dt.datetime:
    """Deadlines at or after this moment may move when these years change (1 January 00:00 of
    the first year): a deadline counted only through earlier years cannot."""
    return dt.datetime.combine(
        dt.date(min(years), 1, 1), dt.time(0), tzinfo=timezone.get_default_timezone()
    )


def years_label(years: Iterable[int]) -> str:
    return "、".join(str(y) for y in sorted(set(years)))


def _local(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return "无"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return f"{value:%Y-%m-%d}"


def change_note(
    *,
    what: str,
    old: dt.datetime | dt.date | None,
    new: dt.datetime | dt.date | None,
    years: Iterable[int],
    warning: str | None = None,
) -> str:
    """The timeline text of a recomputed deadline, the same in every app."""
    note = (
        f"{years_label(years)}年节假日安排更新，{what}期限由 {_local(old)} 调整为 {_local(new)}。"
    )
    if warning:
        note += "（新期限仍为暂定：该年国务院放假安排尚未导入。）"
    return note


@dataclass(frozen=True)
class Moved:
    old: dt.datetime
    new: dt.datetime
    note: str


def moved_deadline(
    cal: WorkCalendar,
    *,
    start: dt.datetime | None,
    working_days: int | None,
    old: dt.datetime | None,
    what: str,
    years: Iterable[int],
) -> Moved | None:
    """The deadline "working_days after start" by the calendar now, when it differs from the
    stored one; None when it does not move (or was never computed this way)."""
    if start is None or working_days is None or old is None:
        return None
    new = cal.deadline_after(start=start, working_days=working_days).due_at
    if new == old:
        return None
    warning = cal.warning_for(new, new)
    return Moved(old, new, change_note(what=what, old=old, new=new, years=years, warning=warning))


def count_moved(ids: Iterable[int], one: Callable[[int, WorkCalendar], bool]) -> int:
    """Run `one(pk, calendar)` for each id (each in its own transaction); how many moved.

    One calendar for the run: the holiday rows are read once per year."""
    cal = WorkCalendar()
    return sum(1 for pk in list(ids) if one(pk, cal))


def deadlines_recompute(*, years: Iterable[int]) -> dict[str, int]:
    """Run every registered source for the years; returns {source key: items changed}.

    One failing source is logged and does not stop the others (each keeps its own items
    consistent, one transaction per item).
    """
    chosen = frozenset(int(y) for y in years)
    if not chosen:
        return {}
    results: dict[str, int] = {}
    for source in deadline_sources():
        try:
            results[source.key] = source.recompute(chosen)
        except Exception:
            logger.exception("重新计算%s的期限失败（%s年）", source.label, years_label(chosen))
            results[source.key] = -1
    logger.info("期限已按%s年节假日重新计算：%s", years_label(chosen), results)
    return results


def recompute_task(years: list[int]) -> dict[str, int]:
    """The worker's entry point (django-q2 passes plain arguments)."""
    return deadlines_recompute(years=years)


def _enqueue(years: list[int]) -> None:
    from django_q.tasks import async_task

    try:
        async_task("qifu.workdays.recompute.recompute_task", years, task_name="recompute_deadlines")
    except Exception:
        # The queue is unreachable: do it here rather than leave deadlines wrong.
        logger.exception("无法提交期限重算任务，改为立即执行")
        deadlines_recompute(years=years)


def schedule_recompute(years: Iterable[int]) -> None:
    """Recompute open deadlines of these years once the current transaction commits."""
    chosen = sorted({int(y) for y in years})
    if chosen:
        transaction.on_commit(lambda: _enqueue(chosen))
