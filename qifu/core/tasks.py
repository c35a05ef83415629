"""Periodic jobs of the core app (registered in apps.py)."""

from __future__ import annotations


def security_alerts_sweep() -> int:
    from qifu.core.security_alerts import security_alerts_check

    return security_alerts_check()
