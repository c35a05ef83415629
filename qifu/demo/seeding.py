"""The order in which the demo modules run, and the synthetic volume of `--scale`.

A later domain adds its module to STEPS (its `seed(*, stdout)` runs after those it depends on)
and, when it has volume to add for benchmarks, a VolumeStep (e.g. 10,000 appeals per unit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from qifu.demo import (
    Output,
    accounts,
    appeals,
    assessment,
    assistant_faq,
    connectors,
    content,
    declarations,
    enterprises,
    financing,
    holidays,
    investment,
    investment_pipeline,
    market,
    matters,
    organisations,
    policies,
    policy_extras,
    policy_volume,
    postings,
    projects,
    providers,
    supervision,
    workspace_licences,
    workspace_members,
    workspace_people,
)

STEPS: list[Callable[..., None]] = [
    organisations.seed,
    enterprises.seed,
    accounts.seed,
    providers.seed,
    workspace_members.seed,
    holidays.seed,
    appeals.seed,
    content.seed,
    policies.seed,
    policy_extras.seed,
    declarations.seed,
    connectors.seed,
    matters.seed,
    workspace_licences.seed,
    workspace_people.seed,
    projects.seed,
    postings.seed,
    financing.seed,
    assistant_faq.seed,
    investment.seed,
    investment_pipeline.seed,
    # After every section: the assessment counts their records.
    assessment.seed,
    # After the assessment's months of history: the supervisor presses cases on the board.
    supervision.seed,
    market.seed,
]


@dataclass(frozen=True)
class VolumeStep:
    label: str
    per_unit: int
    # Adds the first `count` synthetic rows that do not exist yet and returns how many it added.
    add: Callable[..., int]


VOLUME: list[VolumeStep] = [
    VolumeStep("企业", 1000, enterprises.seed_synthetic),
    VolumeStep("企业诉求", 10000, appeals.seed_synthetic),
    VolumeStep("政策", 10000, policy_volume.seed_synthetic),
]


class DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def seed_demo(*, stdout: Output, scale: int = 0, dry_run: bool = False) -> None:
    """Load the demo data, and `scale` units of synthetic volume, in one transaction."""
    try:
        with transaction.atomic():
            for step in STEPS:
                step(stdout=stdout)
            for volume in VOLUME:
                if scale > 0:
                    volume.add(count=scale * volume.per_unit, stdout=stdout)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        stdout.write("试运行：以上变更已全部撤销。\n")
