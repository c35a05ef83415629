"""htmx: the enterprise picker of the "new project" form.

It offers only the enterprises the user may register projects for (platform staff: all active
enterprises; a steward: those they currently serve as steward), and returns `<option>`s for a
`<datalist>`, so without JavaScript the field stays a plain text input.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qifu.accounts.models import Enterprise, Role
from qifu.accounts.validators import normalize_credit_code
from qifu.workspace.models import AssignmentRole
from qifu.workspace.selectors.assignments import enterprises_served_by

MIN_TERM = 2
LIMIT = 10


def enterprises_for_new_project(user: Any) -> QuerySet[Enterprise]:
    """The enterprises `user` may register a construction project for (see can_create_for)."""
    if not getattr(user, "is_authenticated", False) or user.enterprise_id:
        return Enterprise.objects.none()
    if user.is_platform_staff:
        return Enterprise.objects.filter(is_active=True)
    if user.has_role(Role.STEWARD):
        return enterprises_served_by(user, AssignmentRole.STEWARD).filter(is_active=True)
    return Enterprise.objects.none()


@login_required
@require_GET
def enterprise_options(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.enterprise_id or not (user.is_platform_staff or user.has_role(Role.STEWARD)):
        raise PermissionDenied("只有平台工作人员或项目管家可以登记项目。")
    term = request.GET.get("enterprise", "").strip()[:200]
    found: list[Enterprise] = []
    if len(term) >= MIN_TERM:
        found = list(
            enterprises_for_new_project(user)
            .filter(Q(name__icontains=term) | Q(credit_code=normalize_credit_code(term)))
            .only("name", "credit_code")
            .order_by("name")[:LIMIT]
        )
    return render(request, "appeals/_enterprise_options.html", {"enterprises": found})
