"""Periodic jobs of the project steward, run by django-q2's scheduler."""

from __future__ import annotations


def reminders_sweep() -> dict[str, int]:
    """Reminders before items' planned ends and when a stage is late (each sent once)."""
    from qifu.projects.reminders import project_reminders_sweep

    return project_reminders_sweep()
