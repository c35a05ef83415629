"""The home of the exclusive space, the staff view of one enterprise's space, and the timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path

from qifu.accounts.access import is_enterprise_user
from qifu.accounts.models import Enterprise
from qifu.core.dates import parse_moment
from qifu.core.pages import page_rule
from qifu.portal.space import space_cards, timeline, timeline_kinds
from qifu.workspace.selectors.space import space_enterprise_get


def _space(request: HttpRequest, enterprise: Enterprise, *, own: bool) -> HttpResponse:
    cards = space_cards(enterprise, request.user)
    summary = [fact for card in cards for fact in card.summary]
    return render(
        request,
        "workspace/home.html",
        {"enterprise": enterprise, "cards": cards, "summary": summary, "own": own},
    )


@page_rule(
    is_enterprise_user,
    "专属空间是企业的空间，仅限企业用户进入；服务专员、项目管家请从“我服务的企业”进入企业空间。",
    # Government users reach the spaces they serve, or the space's agency its coverage.
    elsewhere=("workspace:served", "workspace:coverage"),
)
def home(request: HttpRequest) -> HttpResponse:
    """我的专属空间: everything the signed-in enterprise has with the government, in one place."""
    user: Any = request.user
    return _space(request, user.enterprise, own=True)


@login_required
def enterprise_space(request: HttpRequest, credit_code: str) -> HttpResponse:
    """一企一档: the space of one enterprise, for its commissioner, steward and platform staff."""
    enterprise = space_enterprise_get(user=request.user, credit_code=credit_code)
    own = request.user.enterprise_id == enterprise.pk  # type: ignore[union-attr]
    if own:
        return redirect("workspace:home")
    return _space(request, enterprise, own=False)


def _timeline_page(request: HttpRequest, enterprise: Enterprise, *, own: bool) -> HttpResponse:
    before: dt.datetime | None = parse_moment(request.GET.get("before", ""))
    kinds_available = timeline_kinds()
    chosen = {k for k in request.GET.getlist("kind") if k in dict(kinds_available)}
    entries, cursor = timeline(
        enterprise,
        request.user,
        before=before,
        limit=settings.SPACE_TIMELINE_PAGE,
        kinds=chosen or None,
    )
    return render(
        request,
        "workspace/timeline.html",
        {
            "enterprise": enterprise,
            "own": own,
            "entries": entries,
            "cursor": cursor.isoformat() if cursor else "",
            "kinds": kinds_available,
            "chosen": chosen,
            "is_first_page": before is None,
        },
    )


@login_required
def own_timeline(request: HttpRequest) -> HttpResponse:
    """The whole timeline of the signed-in user's enterprise, newest first, page by page."""
    user: Any = request.user
    if user.enterprise_id is None:
        return redirect("workspace:home")
    return _timeline_page(request, user.enterprise, own=True)


@login_required
def enterprise_timeline(request: HttpRequest, credit_code: str) -> HttpResponse:
    enterprise = space_enterprise_get(user=request.user, credit_code=credit_code)
    return _timeline_page(
        request,
        enterprise,
        own=request.user.enterprise_id == enterprise.pk,  # type: ignore[union-attr]
    )


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("timeline/", own_timeline, name="timeline"),
    path("enterprises/<str:credit_code>/", enterprise_space, name="enterprise"),
    path(
        "enterprises/<str:credit_code>/timeline/",
        enterprise_timeline,
        name="enterprise_timeline",
    ),
]
