"""Periodic jobs of the policy library, run by django-q2's scheduler."""

from __future__ import annotations

from qifu.policies.services import policy_flag_stale


def flag_stale() -> int:
    """Remind issuing departments of policies not reviewed or updated for a year (daily)."""
    return policy_flag_stale()
