"""Periodic jobs of 我要办事, run by django-q2's scheduler."""

from __future__ import annotations


def deadlines_sweep() -> dict[str, int]:
    """Reminders before handling deadlines and overdue notices (idempotent)."""
    from qifu.matters.deadlines import applications_deadline_sweep

    return applications_deadline_sweep()
