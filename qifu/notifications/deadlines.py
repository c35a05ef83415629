"""One sweep for every workflow with stored deadlines (the deadlines its process table attaches
to its states, qifu/core/workflow.py): a reminder within one working day of the
deadline and an overdue notice once it has passed, each sent once per deadline.

The model carries two marker columns, `reminded_for` and `overdue_marked_for`: the sweep claims a
row with a conditional UPDATE setting the marker to the deadline it acts for, so two workers or a
second run never notify twice, and a new deadline (after an extension, a resubmission) is
reminded again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from qifu.workdays.calendar import deadline_after

if TYPE_CHECKING:
    from qifu.core.workflow import Process


@dataclass(frozen=True)
class DeadlineRule:
    status: str  # the state in which the deadline applies
    field: str  # the deadline column
    what: str  # what must be done by then, e.g. 受理


def rules_of(process: Process) -> list[DeadlineRule]:
    """The sweep's rules, read from the deadlines the process table attaches to its states."""
    return [
        DeadlineRule(state, deadline.swept, deadline.what_for(state))
        for deadline in process.deadlines
        for state in process.states.values
        if state in deadline.states
    ]


def _claim(process: Process, obj: Any, rule: DeadlineRule, marker: str) -> bool:
    due = getattr(obj, rule.field)
    updated = (
        process.model._default_manager.filter(
            pk=obj.pk, **{process.state_field: rule.status, rule.field: due}
        )
        .filter(Q(**{f"{marker}__isnull": True}) | ~Q(**{marker: due}))
        .update(**{marker: due})
    )
    return updated == 1


def deadlines_sweep(
    *,
    process: Process,
    queryset: models.QuerySet[Any],
    recipients: Callable[[Any], list[Any]],
    message: Callable[[Any, DeadlineRule, str], tuple[str, str, str]],
    now: dt.datetime | None = None,
    limit: int = 500,
    on_overdue: Callable[[Any, DeadlineRule, dt.datetime], None] | None = None,
) -> dict[str, int]:
    """Remind and report overdue for every deadline of a process; `message(obj, rule, kind)`
    gives (title, body, url); `on_overdue` may write the process's own record of it."""
    from qifu.notifications.services import notify

    now = now or timezone.now()
    horizon = deadline_after(start=now, working_days=1).due_at
    counts = {"reminded": 0, "overdue": 0}
    for rule in rules_of(process):
        base = queryset.filter(**{process.state_field: rule.status, f"{rule.field}__isnull": False})
        batches = (
            (
                "reminded",
                "reminded_for",
                base.filter(**{f"{rule.field}__gt": now, f"{rule.field}__lte": horizon}).filter(
                    Q(reminded_for__isnull=True) | ~Q(reminded_for=F(rule.field))
                ),
            ),
            (
                "overdue",
                "overdue_marked_for",
                base.filter(**{f"{rule.field}__lte": now}).filter(
                    Q(overdue_marked_for__isnull=True) | ~Q(overdue_marked_for=F(rule.field))
                ),
            ),
        )
        for kind, marker, pending in batches:
            for obj in pending[:limit]:
                with transaction.atomic():
                    if not _claim(process, obj, rule, marker):
                        continue
                    if kind == "overdue" and on_overdue is not None:
                        on_overdue(obj, rule, now)
                    title, body, url = message(obj, rule, kind)
                    notify(
                        users=recipients(obj),
                        code="generic",
                        context={"title": title, "body": body},
                        url=url,
                        channels=("inbox", "sms") if kind == "overdue" else ("inbox",),
                    )
                counts[kind] += 1
    return counts


def due_text(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%m月%d日 %H:%M")
