"""The service requests' deadline source: running deadlines follow a change of the holidays.

Registered in WorkspaceConfig.ready() with qifu.workdays.recompute. A request waiting for the
enterprise keeps its completion deadline too: the days left when the commissioner asked are
counted from it when the enterprise supplies what was asked (qifu/workspace/workflow.py).
"""

from __future__ import annotations

from typing import Any

from qifu.notifications.deadlines import process_deadlines_recompute
from qifu.workspace.models import ServiceRequest
from qifu.workspace.workflow import PROCESS


def _responsible(service_request: ServiceRequest) -> list[Any]:
    from qifu.workspace.services.requests import space_admin_users

    if service_request.commissioner is not None:
        return [service_request.commissioner]
    return list(space_admin_users())


def request_deadlines_recompute(years: frozenset[int]) -> int:
    """Open service requests whose acceptance or completion deadline may lie in the years."""
    return process_deadlines_recompute(process=PROCESS, years=years, responsible=_responsible)
