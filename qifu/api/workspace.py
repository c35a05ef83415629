"""专属空间 API: the summary of an enterprise's space and its timeline.

An enterprise user reads their own enterprise's space; the commissioner or steward serving an
enterprise and platform staff pass `?enterprise=<credit code>`; anyone else gets 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from qifu.accounts.models import Enterprise
from qifu.portal.space import space_cards, timeline, timeline_kinds
from qifu.workspace.cards.core import policy_matches_summary
from qifu.workspace.selectors.assignments import current_assignments
from qifu.workspace.selectors.space import space_enterprise_get

router = Router(tags=["专属空间"])


def space_enterprise(request: HttpRequest, credit_code: str = "") -> Enterprise:
    """The enterprise whose space the request reads (own, or by credit code for staff), or 404."""
    user: Any = request.user
    if credit_code:
        return space_enterprise_get(user=user, credit_code=credit_code.strip().upper())
    if user.enterprise_id is None:
        raise Http404("请用 enterprise 参数指定企业的统一社会信用代码。")
    return user.enterprise  # type: ignore[no-any-return]


class EnterpriseRef(Schema):
    credit_code: str
    name: str


class Person(Schema):
    role: str
    name: str
    department: str | None
    phone: str | None
    since: dt.datetime


class Fact(Schema):
    label: str
    value: str


class PanelOut(Schema):
    key: str
    title: str
    summary: list[Fact]


class MatchedPolicy(Schema):
    code: str
    title: str
    reasons: list[str]


class PoliciesOut(Schema):
    count: int
    near_misses: int
    top: list[MatchedPolicy]


class SpaceOut(Schema):
    enterprise: EnterpriseRef
    people: list[Person]
    panels: list[PanelOut]
    policies: PoliciesOut


@router.get("", response=SpaceOut, summary="企业专属空间概览")
def space_summary(request: HttpRequest, enterprise: str = "") -> dict[str, Any]:
    target = space_enterprise(request, enterprise)
    people = [
        {
            "role": a.role,
            "name": a.user.real_name or a.user.username,
            "department": a.user.department.name if a.user.department else None,
            "phone": a.user.phone,
            "since": a.started_at,
        }
        for a in current_assignments(target).order_by("role")
    ]
    panels = [
        {
            "key": p.key,
            "title": p.title,
            "summary": [{"label": label, "value": value} for label, value in p.summary],
        }
        for p in space_cards(target, request.user)
    ]
    matches = policy_matches_summary(target)
    return {
        "enterprise": target,
        "people": people,
        "panels": panels,
        "policies": {
            "count": matches["count"],
            "near_misses": matches["near_count"],
            "top": matches["top"],
        },
    }


class TimelineFilters(Schema):
    enterprise: str = ""
    before: dt.datetime | None = None
    kind: list[str] = []
    limit: int = 30


class EntryOut(Schema):
    at: dt.datetime
    kind: str
    kind_label: str
    title: str
    status: str
    url: str


class TimelineOut(Schema):
    items: list[EntryOut]
    next_before: dt.datetime | None
    kinds: list[Fact]


@router.get("/timeline", response=TimelineOut, summary="企业与政府往来的时间线")
def space_timeline(request: HttpRequest, filters: Query[TimelineFilters]) -> dict[str, Any]:
    """Newest first; pass `next_before` back as `before` for the next page."""
    target = space_enterprise(request, filters.enterprise)
    kinds = dict(timeline_kinds())
    unknown = [k for k in filters.kind if k not in kinds]
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError({"kind": f"未知类型：{'、'.join(unknown)}。"})
    limit = max(1, min(filters.limit, settings.SPACE_TIMELINE_PAGE * 2))
    entries, cursor = timeline(
        target,
        request.user,
        before=filters.before,
        limit=limit,
        kinds=set(filters.kind) or None,
    )
    return {
        "items": entries,
        "next_before": cursor,
        "kinds": [{"label": label, "value": key} for key, label in kinds.items()],
    }
