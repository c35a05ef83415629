"""What the investment section plugs into the rest of the platform (called from ready())."""

from __future__ import annotations

from typing import Any


def _may_register_project(user: Any, enterprise: Any) -> bool:
    """Investment staff register the construction project of an enterprise that their pipeline
    brought onto the platform (注册 node)."""
    from qifu.investment import access
    from qifu.investment.models import Lead

    return access.is_investment_staff(user) and Lead.objects.filter(enterprise=enterprise).exists()


def install() -> None:
    from qifu.investment import workbench  # noqa: F401  (registers the panel)
    from qifu.notifications.schedules import register_schedule
    from qifu.projects import workflow as projects

    if _may_register_project not in projects.creator_checks:
        projects.creator_checks.append(_may_register_project)
    register_schedule("investment.reminders", "qifu.investment.tasks.reminders_sweep", minutes=30)
