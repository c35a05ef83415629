"""Periodic jobs of 项目申报, run by django-q2's scheduler."""

from __future__ import annotations

from qifu.declarations.services import application_finalise_due


def finalise_due() -> int:
    """End publicity periods that have passed (every 15 minutes; idempotent)."""
    return application_finalise_due()


def deadlines_sweep() -> dict[str, int]:
    """Reminders before acceptance/decision deadlines and overdue notices (idempotent)."""
    from qifu.declarations.deadlines import applications_deadline_sweep

    return applications_deadline_sweep()
