"""Reads of service requests, contacts and people's loads, scoped to who asks."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from qifu.accounts.models import Enterprise, User
from qifu.workspace.models import (
    OPEN_REQUEST_STATUSES,
    Assignment,
    AssignmentRole,
    ContactLog,
    RequestStatus,
    ServiceRequest,
    ServiceRequestEvent,
)
from qifu.workspace.selectors.assignments import enterprises_served_by, users_who_can_serve
from qifu.workspace.workflow import is_space_admin as is_space_admin

SORTS = {"deadline": "deadline", "newest": "newest"}


def service_requests_for_user(user: Any) -> QuerySet[ServiceRequest]:
    """What `user` may see: the enterprise its own, a commissioner or steward theirs and their
    enterprises', the agency running the space all; anyone else nothing (a detail page is a 404)."""
    rows = ServiceRequest.objects.select_related(
        "enterprise", "commissioner", "commissioner__department", "applicant", "licence"
    )
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if user.enterprise_id:
        return rows.filter(enterprise_id=user.enterprise_id)
    if is_space_admin(user):
        return rows
    # The people serving an enterprise (its commissioner and its steward) read its requests;
    # only the request's commissioner acts on it (the services check that).
    served = Assignment.objects.current().filter(user=user)
    return rows.filter(Q(commissioner=user) | Q(enterprise_id__in=served.values("enterprise_id")))


def overdue_q(now: Any = None) -> Q:
    """Open requests past their current deadline (acceptance or completion)."""
    now = now or timezone.now()
    return Q(status=RequestStatus.SUBMITTED, accept_due_at__lt=now) | Q(
        status=RequestStatus.ACCEPTED, due_at__lt=now
    )


def requests_inbox(
    user: Any, *, status: str = "", kind: str = "", sort: str = "deadline", mine_only: bool = True
) -> QuerySet[ServiceRequest]:
    """A commissioner's requests (staff: all) filtered, soonest deadline first by default."""
    rows = service_requests_for_user(user)
    if mine_only and not is_space_admin(user):
        rows = rows.filter(commissioner=user)
    if status == "open":
        rows = rows.filter(status__in=OPEN_REQUEST_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if sort == "newest":
        return rows.order_by("-submitted_at", "-id")
    # Deadline in force: acceptance while submitted, completion while accepted; others last.
    return rows.order_by(
        "accept_due_at" if status == RequestStatus.SUBMITTED else "due_at", "submitted_at", "id"
    )


def request_events(service_request: ServiceRequest) -> QuerySet[ServiceRequestEvent]:
    return service_request.events.select_related("actor").prefetch_related("attachments")


def people_loads(role: str, *, now: Any = None) -> QuerySet[User]:
    """Each person who can serve in `role`, with enterprises served, open and overdue requests."""
    now = now or timezone.now()
    served = (
        Assignment.objects.current()
        .filter(user=OuterRef("pk"), role=role)
        .values("user")
        .annotate(n=Count("id"))
        .values("n")
    )
    people = users_who_can_serve(role).annotate(served=Subquery(served))
    if role != AssignmentRole.COMMISSIONER:
        return people
    open_rows = (
        ServiceRequest.objects.open()
        .filter(commissioner=OuterRef("pk"))
        .values("commissioner")
        .annotate(n=Count("id"))
        .values("n")
    )
    overdue_rows = (
        ServiceRequest.objects.filter(overdue_q(now), commissioner=OuterRef("pk"))
        .values("commissioner")
        .annotate(n=Count("id"))
        .values("n")
    )
    return people.annotate(open_requests=Subquery(open_rows), overdue=Subquery(overdue_rows))


def served_enterprises(user: Any) -> QuerySet[Enterprise]:
    """The enterprises a commissioner or steward serves, with open requests and last contact."""
    return (
        enterprises_served_by(user)
        .select_related("region")
        .annotate(
            open_requests=Count(
                "service_requests",
                filter=Q(service_requests__status__in=OPEN_REQUEST_STATUSES),
                distinct=True,
            ),
            last_contact_at=Max("contact_logs__occurred_at"),
        )
        .order_by("name")
    )


def contact_logs_for(enterprise: Enterprise) -> QuerySet[ContactLog]:
    return enterprise.contact_logs.select_related("staff", "service_request")
