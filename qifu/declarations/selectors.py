"""Scoped reads of 项目申报."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from qifu.accounts.access import get_for_user_or_404
from qifu.declarations.models import (
    PUBLIC_STATUSES,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Call,
    Objection,
)


def call_public_list() -> QuerySet[Call]:
    """Published calls, the latest window first."""
    return (
        Call.objects.published()
        .select_related("provider_department")
        .order_by(  # type: ignore[no-any-return]
            "-closes_on", "-id"
        )
    )


def call_get_public(*, pk: int) -> Call:
    call = Call.objects.published().select_related("provider_department", "policy").filter(pk=pk)
    found: Call | None = call.first()
    if found is None:
        raise Http404("未找到该申报通知，或已下线。")
    return found


def call_manage_list(*, user: Any) -> QuerySet[Call]:
    """Calls the user's department provides, or reviews, with their application counts."""
    return (
        Call.objects.for_user(user)  # type: ignore[no-any-return]
        .select_related("provider_department")
        .annotate(
            submitted_count=Count("applications", filter=~Q(applications__status="draft")),
        )
        .order_by("-updated_at", "-id")
    )


def call_get_for_user(*, user: Any, pk: int) -> Call:
    return get_for_user_or_404(Call.objects.select_related("provider_department"), user, pk=pk)


def application_list(
    *, user: Any, call: Call | None = None, status: str = ""
) -> QuerySet[Application]:
    """Applications the user may see, optionally of one call and in one status."""
    qs = Application.objects.for_user(user).select_related(
        "call", "enterprise", "call__provider_department"
    )
    if call is not None:
        qs = qs.filter(call=call).exclude(status=ApplicationStatus.DRAFT)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def application_get_for_user(*, user: Any, pk: int) -> Application:
    return get_for_user_or_404(
        Application.objects.select_related("call", "call__provider_department", "enterprise"),
        user,
        pk=pk,
    )


def application_timeline(*, application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.order_by("at", "id")


def publicity_list() -> QuerySet[Application]:
    """Results under publicity (公示), with their pending objections counted."""
    return (
        Application.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("call", "enterprise", "call__provider_department")
        .prefetch_related(Prefetch("objections", queryset=Objection.objects.order_by("created_at")))
        .order_by("publicity_ends_at", "id")
    )


def publicity_get(*, pk: int) -> Application:
    found = publicity_list().filter(pk=pk).first()
    if found is None:
        raise Http404("该项目不在公示期。")
    return found


def objection_get_for_user(*, user: Any, pk: int) -> Objection:
    found = (
        Objection.objects.filter(pk=pk, application__in=Application.objects.for_user(user))
        .select_related("application", "application__call")
        .first()
    )
    if found is None or user.enterprise_id:
        raise Http404("未找到，或您无权查看。")
    return found


def call_open_for_policy(*, policy: Any, today: Any = None) -> Call | None:
    """The published call open today that is based on `policy` (for 立即申报 on its page)."""
    today = today or timezone.localdate()
    return (
        call_public_list()
        .filter(policy=policy, opens_on__lte=today, closes_on__gte=today)
        .order_by("closes_on", "id")
        .first()
    )
