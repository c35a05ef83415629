"""Whether an enterprise may apply to a call: the policy matching rules (docs/api.md criteria).

A call carries its own criteria and industries (or its policy's), so it is evaluated by
qifu.policies.matching as a policy-like object without an expiry: the rules live once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from qifu.policies.matching import criteria_in_words, evaluate


@dataclass
class Eligibility:
    eligible: bool
    met: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)


def describe_criteria(criteria: dict[str, Any], industries: list[str]) -> list[str]:
    """The criteria in words, for the call's page."""
    lines = [f"{label}：{text}" for label, text in criteria_in_words(industries, criteria)]
    return lines or ["不限"]


def evaluate_call(
    *, criteria: dict[str, Any], industries: list[str], enterprise: Any, today: dt.date
) -> Eligibility:
    """Every criterion present must hold; each one met or unmet is explained."""
    subject = SimpleNamespace(criteria=criteria, industries=industries, expires_on=None)
    result = evaluate(subject, enterprise, today)
    return Eligibility(
        eligible=result.eligible,
        met=[str(r["text"]) for r in result.reasons if r["met"]],
        unmet=[str(r["text"]) for r in result.reasons if not r["met"]],
    )


def call_eligibility(*, call: Any, enterprise: Any, today: dt.date | None = None) -> Eligibility:
    """Whether the enterprise meets the call's criteria (or its policy's), with reasons."""
    from django.utils import timezone

    return evaluate_call(
        criteria=call.effective_criteria,
        industries=call.effective_industries,
        enterprise=enterprise,
        today=today or timezone.localdate(),
    )
