"""The service requests' deadline source: running deadlines follow a change of the holidays.

Registered in WorkspaceConfig.ready() with qifu.workdays.recompute. A request waiting for the
enterprise keeps its completion deadline too: the days left when the commissioner asked are
counted from it when the enterprise supplies what was asked (services/requests.py).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from qifu.workdays.calendar import WorkCalendar
from qifu.workdays.recompute import affected_from, count_moved, moved_deadline
from qifu.workspace.models import RequestStatus, ServiceRequest


def _recompute_one(request_id: int, years: frozenset[int], cal: WorkCalendar) -> bool:
    from qifu.workspace.services import requests as services

    try:
        with services._transition(request_id, "deadline") as (locked, callbacks):
            accepting = locked.status == RequestStatus.SUBMITTED
            field, what = ("accept_due_at", "受理") if accepting else ("due_at", "办结")
            start: dt.datetime | None = locked.submitted_at if accepting else locked.due_from
            days = locked.accept_working_days if accepting else locked.due_working_days
            moved = moved_deadline(
                cal,
                start=start,
                working_days=days,
                old=getattr(locked, field),
                what=what,
                years=years,
            )
            if moved is None:
                return False
            setattr(locked, field, moved.new)
            locked.save(update_fields=[field, "updated_at"])
            note = moved.note
            services._event(
                locked, action="deadline", actor=None, from_status=locked.status, note=note
            )
            services._notify_later(
                callbacks,
                users=services._commissioner(locked)
                if locked.commissioner_id
                else services.space_admin_users,
                service_request=locked,
                title=f"服务申请期限调整：{locked.number}",
                body=f"{locked.enterprise.name}的“{locked.title}”：{note}",
            )
            return True
    except services.TransitionNotAllowed:
        return False


def request_deadlines_recompute(years: frozenset[int]) -> int:
    """Open service requests whose acceptance or completion deadline may lie in the years."""
    since = affected_from(years)
    ids = ServiceRequest.objects.filter(
        Q(status=RequestStatus.SUBMITTED, accept_due_at__gte=since)
        | Q(status__in=(RequestStatus.ACCEPTED, RequestStatus.WAITING), due_at__gte=since)
    ).values_list("pk", flat=True)
    return count_moved(ids, lambda pk, cal: _recompute_one(pk, years, cal))
