"""The official holiday and make-up working-day schedules, for the deadline arithmetic."""

from __future__ import annotations

from qifu.demo import Output
from qifu.workdays.services import seed_official_holidays


def seed(*, stdout: Output) -> None:
    """Write the State Council schedules the workdays app ships (idempotent, audited there)."""
    result = seed_official_holidays()
    stdout.write(
        f"节假日与调休：{len(result.outcomes)} 天"
        f"（新增 {result.count('created')}，更新 {result.count('updated')}）\n"
    )
