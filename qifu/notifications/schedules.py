"""The registry of periodic jobs. Apps register theirs in `AppConfig.ready()`:

    register_schedule("appeals.sweep", "qifu.appeals.tasks.sweep", minutes=5)

and `python manage.py ensure_schedules` (run by `make run`) writes them as django-q2 schedules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    func: str
    minutes: int


_registry: dict[str, ScheduledJob] = {}


def register_schedule(name: str, func: str, minutes: int) -> None:
    """Run the dotted function `func` every `minutes` minutes under the schedule name `name`."""
    if minutes < 1:
        raise ValueError("minutes must be at least 1")
    _registry[name] = ScheduledJob(name=name, func=func, minutes=minutes)


def registered_schedules() -> list[ScheduledJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def schedules_ensure(*, dry_run: bool = False) -> list[tuple[ScheduledJob, str]]:
    """Create or update one django-q2 schedule per registered job; returns (job, outcome) pairs.

    Idempotent: matched by name, so running it at every start changes nothing the second time.
    """
    from django_q.models import Schedule

    outcomes: list[tuple[ScheduledJob, str]] = []
    with transaction.atomic():
        for job in registered_schedules():
            existing = list(Schedule.objects.filter(name=job.name).order_by("id"))
            if not existing:
                outcome = "created"
                if not dry_run:
                    Schedule.objects.create(
                        name=job.name,
                        func=job.func,
                        schedule_type=Schedule.MINUTES,
                        minutes=job.minutes,
                        repeats=-1,
                    )
            else:
                schedule, duplicates = existing[0], existing[1:]
                wanted = {
                    "func": job.func,
                    "schedule_type": Schedule.MINUTES,
                    "minutes": job.minutes,
                    "repeats": -1,
                }
                changed = duplicates or any(getattr(schedule, k) != v for k, v in wanted.items())
                outcome = "updated" if changed else "unchanged"
                if changed and not dry_run:
                    for name, value in wanted.items():
                        setattr(schedule, name, value)
                    schedule.save()
                    Schedule.objects.filter(pk__in=[d.pk for d in duplicates]).delete()
            outcomes.append((job, outcome))
    return outcomes
