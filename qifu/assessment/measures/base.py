"""What every measure is made of: the cases behind a figure, the context of a period, the
measure itself with its formula, and the fault groups of article 19."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qifu.assessment.periods import Period

FAULTS: dict[str, str] = {
    "slow": "办理不及时",
    "unfinished": "事项未办结",
    "shirking": "推诿扯皮",
    "perfunctory": "敷衍塞责",
    "unsatisfied": "企业不满意",
    "supervision": "督办件办理超时",
    "other": "其他考核内容",
}


@dataclass(frozen=True)
class Case:
    """One thing a figure counts."""

    kind: str  # round, message, consultation, matter, declaration, policy, posting, unit
    ref: int  # primary key of what the case's link opens (the appeal of a round)
    number: str
    title: str
    department_id: int
    at: dt.datetime | None  # the time that places it in the period
    detail: str  # why it counts, in Chinese
    hit: bool = True  # rate measures: meets the standard
    score: int | None = None  # mean measures: the score it contributes
    sub: int | None = None  # the round's or item's own key (an assignment) when `ref` is its parent


@dataclass
class Context:
    period: Period
    start: dt.datetime
    end: dt.datetime  # effective end: the period's end, or now while it runs
    params: dict[str, Any] = field(default_factory=dict)


Collector = Callable[[Context], Iterable[Case]]


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    fault: str  # a key of FAULTS
    formula: str
    kind: str  # count | rate | mean
    collect: Collector
    unit: str = "件"
    informational: bool = False  # shown, never scored

    @property
    def fault_label(self) -> str:
        return FAULTS[self.fault]

    def value(self, cases: list[Case]) -> float | int | None:
        """The figure from its cases: a count, a percentage (one decimal) or a mean score."""
        if self.kind == "count":
            return len(cases)
        if not cases:
            return None
        if self.kind == "rate":
            return round(100 * sum(1 for c in cases if c.hit) / len(cases), 1)
        scores = [c.score for c in cases if c.score is not None]
        return round(sum(scores) / len(scores), 2) if scores else None


def hours_label(delta: dt.timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours >= 48:
        return f"{hours / 24:.1f}天"
    return f"{hours:.1f}小时"


def local_label(value: dt.datetime | None) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"
