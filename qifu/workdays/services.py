"""Writes to the holiday table: every change goes through here and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction

from qifu.core.audit import audit_record
from qifu.workdays.models import Holiday
from qifu.workdays.recompute import schedule_recompute

Change = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class HolidayRow:
    """One parsed line of a holiday table, before it is written."""

    on: dt.date
    is_workday: bool
    name: str
    note: str = ""
    line: int = 0


@dataclass
class ImportResult:
    outcomes: list[tuple[HolidayRow, Change]] = field(default_factory=list)

    def count(self, change: Change) -> int:
        return sum(1 for _, c in self.outcomes if c == change)

    @property
    def changed_years(self) -> list[int]:
        """Years whose stored deadlines must be recomputed."""
        return sorted({row.on.year for row, c in self.outcomes if c != "unchanged"})


def _clean(*, name: str, note: str) -> tuple[str, str]:
    name, note = name.strip(), note.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["请填写名称，如：春节。"]
    elif len(name) > 50:
        errors["name"] = ["名称不能超过50个字。"]
    if len(note) > 200:
        errors["note"] = ["备注不能超过200个字。"]
    if errors:
        raise ValidationError(errors)
    return name, note


def _change_for(existing: Holiday | None, *, is_workday: bool, name: str, note: str) -> Change:
    if existing is None:
        return "created"
    same = (existing.is_workday, existing.name, existing.note) == (is_workday, name, note)
    return "unchanged" if same else "updated"


@transaction.atomic
def holiday_upsert(
    *,
    on: dt.date,
    is_workday: bool,
    name: str,
    note: str = "",
    actor: Any = None,
    recompute: bool = True,
) -> tuple[Holiday, Change]:
    """Create or update the holiday row of a date; audited unless nothing changed.

    A change recomputes the year's open deadlines after commit (unless the caller does it)."""
    name, note = _clean(name=name, note=note)
    existing = Holiday.objects.select_for_update().filter(on=on).first()
    change = _change_for(existing, is_workday=is_workday, name=name, note=note)
    if change == "unchanged":
        assert existing is not None
        return existing, change
    if existing is None:
        holiday = Holiday.objects.create(on=on, is_workday=is_workday, name=name, note=note)
        before: dict[str, Any] = {}
    else:
        holiday = existing
        before = {"is_workday": holiday.is_workday, "name": holiday.name, "note": holiday.note}
        holiday.is_workday, holiday.name, holiday.note = is_workday, name, note
        holiday.save(update_fields=["is_workday", "name", "note", "updated_at"])
    audit_record(
        action=f"workdays.holiday.{change}",
        actor=actor,
        target=holiday,
        summary=f"{on:%Y-%m-%d} {name}（{holiday.kind_label}）",
        data={"on": on.isoformat(), "is_workday": is_workday, "name": name, "before": before},
    )
    if recompute:
        schedule_recompute([on.year])
    return holiday, change


@transaction.atomic
def holiday_delete(*, holiday: Holiday, actor: Any = None, recompute: bool = True) -> None:
    """Remove a holiday row; the date falls back to the package data or the statutory estimate."""
    summary = str(holiday)
    data = {"on": holiday.on.isoformat(), "is_workday": holiday.is_workday, "name": holiday.name}
    audit_record(
        action="workdays.holiday.deleted", actor=actor, target=holiday, summary=summary, data=data
    )
    year = holiday.on.year
    holiday.delete()
    if recompute:
        schedule_recompute([year])


@transaction.atomic
def holidays_delete(*, holidays: Iterable[Holiday], actor: Any = None) -> None:
    """Remove several rows (the admin's bulk delete); one recompute for their years."""
    years = set()
    for holiday in holidays:
        years.add(holiday.on.year)
        holiday_delete(holiday=holiday, actor=actor, recompute=False)
    schedule_recompute(years)


@transaction.atomic
def holidays_import(
    *,
    rows: Iterable[HolidayRow],
    dry_run: bool = False,
    actor: Any = None,
    recompute: bool = True,
) -> ImportResult:
    """Upsert parsed rows by date; with dry_run, report what would change and write nothing.

    The changed years' open deadlines are recomputed in the worker after commit; a caller that
    runs `deadlines_recompute` itself (the command) passes recompute=False."""
    result = ImportResult()
    rows = list(rows)
    existing = {h.on: h for h in Holiday.objects.filter(on__in=[r.on for r in rows])}
    for row in rows:
        if dry_run:
            name, note = _clean(name=row.name, note=row.note)
            change = _change_for(
                existing.get(row.on), is_workday=row.is_workday, name=name, note=note
            )
        else:
            _, change = holiday_upsert(
                on=row.on,
                is_workday=row.is_workday,
                name=row.name,
                note=row.note,
                actor=actor,
                recompute=False,
            )
        result.outcomes.append((row, change))
    if recompute and not dry_run:
        schedule_recompute(result.changed_years)
    return result


# The official schedules (国务院办公厅 notices of 2024-11-12 and 2025-11-04): (name, first and
# last day off, make-up working days).
OFFICIAL_SCHEDULES: dict[int, tuple[str, list[tuple[str, str, str, list[str]]]]] = {
    2025: (
        "国务院办公厅2024年11月12日通知",
        [
            ("元旦", "2025-01-01", "2025-01-01", []),
            ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
            ("清明节", "2025-04-04", "2025-04-06", []),
            ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
            ("端午节", "2025-05-31", "2025-06-02", []),
            ("国庆节、中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
        ],
    ),
    2026: (
        "国务院办公厅2025年11月4日通知",
        [
            ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
            ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
            ("清明节", "2026-04-04", "2026-04-06", []),
            ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
            ("端午节", "2026-06-19", "2026-06-21", []),
            ("中秋节", "2026-09-25", "2026-09-27", []),
            ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
        ],
    ),
}


def official_holiday_rows() -> list[HolidayRow]:
    """The 2025 and 2026 official schedules as rows: every day off and every make-up day."""
    rows: list[HolidayRow] = []
    for source, holidays in OFFICIAL_SCHEDULES.values():
        for name, first, last, makeup in holidays:
            day, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
            while day <= end:
                rows.append(HolidayRow(on=day, is_workday=False, name=name, note=f"放假，{source}"))
                day += dt.timedelta(days=1)
            rows.extend(
                HolidayRow(
                    on=dt.date.fromisoformat(d),
                    is_workday=True,
                    name=name,
                    note=f"调休上班，{source}",
                )
                for d in makeup
            )
    return sorted(rows, key=lambda r: r.on)


def seed_official_holidays(*, actor: Any = None) -> ImportResult:
    """Write the official 2025 and 2026 schedules into the holiday table (idempotent)."""
    return holidays_import(rows=official_holiday_rows(), actor=actor)


def can_maintain_holidays(user: Any) -> bool:
    """Calendar administrators: who may import and edit holidays (the Django admin's permission)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.has_perm("workdays.change_holiday")
    )
