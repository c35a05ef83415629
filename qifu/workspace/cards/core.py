"""Exclusive-space panels and timeline sources of the sections built before the space existed
(matters and external cases, policies, appeals, declarations, consultations, messages,
notifications), and the recent-activity card.

Each timeline source runs one query of at most `limit` rows, newest first, strictly before the
cursor; the space merges them (`qifu.portal.space.timeline`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import Enterprise
from qifu.appeals.models import Appeal, Stage
from qifu.assistant.models import Consultation, ConsultationStatus
from qifu.board.models import Message
from qifu.connectors.models import CaseStatus, ExternalCase
from qifu.declarations.models import Application, ApplicationStatus
from qifu.matters.models import OPEN_STATUSES, MatterApplication, Status
from qifu.notifications.models import Notification
from qifu.portal.space import (
    SpaceCard,
    TimelineEntry,
    register_card,
    register_timeline_source,
    timeline,
    timeline_kinds,
)
from qifu.workspace.selectors.space import is_own_space

# How long the matched policies of an enterprise are kept: matching reads every policy in force.
MATCHES_CACHE_SECONDS = 600

APPEAL_TONES = {Stage.CLOSED: "success", Stage.RESPONDED: "info", Stage.FOLLOWED_UP: "info"}
MATTER_TONES = {
    Status.APPROVED: "success",
    Status.REFUSED: "danger",
    Status.SUPPLEMENT: "warning",
}
CASE_TONES = {
    CaseStatus.APPROVED: "success",
    CaseStatus.COMPLETED: "success",
    CaseStatus.REJECTED: "danger",
    CaseStatus.SUPPLEMENT: "warning",
}
DECLARATION_TONES = {
    ApplicationStatus.APPROVED: "success",
    ApplicationStatus.FINAL: "success",
    ApplicationStatus.PUBLICIZED: "info",
    ApplicationStatus.REJECTED: "danger",
    ApplicationStatus.RETURNED: "warning",
}


def _link(user: Any, enterprise: Enterprise, name: str, *args: Any) -> str:
    """A link into the section, for the enterprise's own users and platform staff.

    The commissioner or steward looking at the space is not a party to the enterprise's appeals
    or applications, so their detail pages would answer 404; the entry is shown without a link.
    """
    if is_own_space(user, enterprise) or user.is_platform_staff:
        return reverse(name, args=args)
    return ""


def _before(field: str, before: dt.datetime | None) -> Q:
    return Q(**{f"{field}__lt": before}) if before else Q()


# --- Timeline sources ---------------------------------------------------------------------------


@register_timeline_source("appeal", "企业诉求")
def appeal_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = (
        Appeal.objects.filter(_before("received_at", before), enterprise=enterprise)
        .only("pk", "number", "title", "stage", "received_at")
        .order_by("-received_at", "-id")[:limit]
    )
    return [
        TimelineEntry(
            at=a.received_at,
            kind="appeal",
            kind_label="企业诉求",
            title=f"提出诉求“{a.title}”（{a.number}）",
            status=a.get_stage_display(),
            url=_link(user, enterprise, "appeals:detail", a.pk),
            tone=APPEAL_TONES.get(a.stage, "warning"),  # type: ignore[call-overload]
        )
        for a in rows
    ]


@register_timeline_source("matter", "事项办理")
def matter_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = (
        MatterApplication.objects.filter(
            _before("submitted_at", before), enterprise=enterprise, submitted_at__isnull=False
        )
        .select_related("matter")
        .only("pk", "number", "status", "submitted_at", "matter__name")
        .order_by("-submitted_at", "-id")[:limit]
    )
    return [
        TimelineEntry(
            at=a.submitted_at,  # type: ignore[arg-type]
            kind="matter",
            kind_label="事项办理",
            title=f"申请办理“{a.matter.name}”（{a.number}）",
            status=a.get_status_display(),
            url=_link(user, enterprise, "matters:application", a.pk),
            tone=MATTER_TONES.get(a.status, "warning"),  # type: ignore[call-overload]
        )
        for a in rows
    ]


@register_timeline_source("external_case", "外部系统办件")
def external_case_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = (
        ExternalCase.objects.filter(_before("created_at", before), enterprise=enterprise)
        .select_related("connector")
        .order_by("-created_at", "-id")[:limit]
    )
    url = reverse("connectors:mine") if is_own_space(user, enterprise) else ""
    return [
        TimelineEntry(
            at=c.created_at,
            kind="external_case",
            kind_label="外部系统办件",
            title=f"在{c.connector.name}办理{c.matter_code}（{c.external_id}）",
            status=c.status_text or c.get_status_display(),
            url=url,
            tone=CASE_TONES.get(c.status, "warning"),  # type: ignore[call-overload]
        )
        for c in rows
    ]


@register_timeline_source("declaration", "项目申报")
def declaration_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = (
        Application.objects.filter(
            _before("submitted_at", before), enterprise=enterprise, submitted_at__isnull=False
        )
        .select_related("call")
        .order_by("-submitted_at", "-id")[:limit]
    )
    return [
        TimelineEntry(
            at=a.submitted_at,  # type: ignore[arg-type]
            kind="declaration",
            kind_label="项目申报",
            title=f"申报“{a.call.title}”",
            status=a.get_status_display(),
            url=_link(user, enterprise, "declarations:application_detail", a.pk),
            tone=DECLARATION_TONES.get(a.status, "warning"),  # type: ignore[call-overload]
        )
        for a in rows
    ]


@register_timeline_source("consultation", "咨询")
def consultation_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = Consultation.objects.filter(
        _before("created_at", before), enterprise=enterprise
    ).order_by("-created_at", "-id")[:limit]
    return [
        TimelineEntry(
            at=c.created_at,
            kind="consultation",
            kind_label="咨询",
            title=f"人工咨询“{c.question[:40]}”",
            status=c.get_status_display(),
            url=(
                reverse("assistant:consultation", args=[c.pk])
                if c.user_id == getattr(user, "pk", None)
                else ""
            ),
            tone="success" if c.status != ConsultationStatus.OPEN else "warning",
        )
        for c in rows
    ]


@register_timeline_source("message", "留言")
def message_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    rows = Message.objects.filter(_before("created_at", before), enterprise=enterprise).order_by(
        "-created_at", "-id"
    )[:limit]
    return [
        TimelineEntry(
            at=m.created_at,
            kind="message",
            kind_label="留言",
            title=f"留言“{m.title}”（{m.number}）",
            status=m.get_status_display(),
            url=_link(user, enterprise, "board:detail", m.pk),
            tone="warning" if m.status == "new" else "success",
        )
        for m in rows
    ]


@register_timeline_source("notification", "消息通知")
def notification_entries(
    enterprise: Enterprise, user: Any, before: dt.datetime | None, limit: int
) -> list[TimelineEntry]:
    # A person's inbox is their own: staff looking at the space do not see the enterprise's.
    if not is_own_space(user, enterprise):
        return []
    rows = Notification.objects.filter(_before("created_at", before), user=user).order_by(
        "-created_at", "-id"
    )[:limit]
    return [
        TimelineEntry(
            at=n.created_at,
            kind="notification",
            kind_label="消息通知",
            title=n.title,
            status="未读" if n.read_at is None else "已读",
            url=n.url,
            tone="info" if n.read_at is None else "secondary",
        )
        for n in rows
    ]


# --- Panels -------------------------------------------------------------------------------------


@register_card
def matters_panel(enterprise: Enterprise, user: Any) -> SpaceCard:
    """办件信息: applications on the platform and cases in the external systems."""
    counts = MatterApplication.objects.filter(enterprise=enterprise).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
    )
    cases = ExternalCase.objects.filter(enterprise=enterprise).aggregate(
        open=Count(
            "pk",
            filter=~Q(status__in=[CaseStatus.APPROVED, CaseStatus.COMPLETED, CaseStatus.REJECTED]),
        ),
        done=Count("pk", filter=Q(status__in=[CaseStatus.APPROVED, CaseStatus.COMPLETED])),
    )
    entries = sorted(
        matter_entries(enterprise, user, None, 5)
        + external_case_entries(enterprise, user, None, 5),
        key=lambda e: e.at,
        reverse=True,
    )[:5]
    in_progress = counts["open"] + cases["open"]
    done = counts["approved"] + cases["done"]
    return SpaceCard(
        key="matters",
        title="办件信息",
        template="workspace/_card_matters.html",
        context={"entries": entries, "in_progress": in_progress, "done": done},
        order=50,
        link=("全部办件", reverse("matters:mine")) if is_own_space(user, enterprise) else None,
        summary=(("在办事项", str(in_progress)),),
    )


def policy_matches_summary(enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise's matched policies and near misses, as plain data, cached for a while
    (the card and the API show the same)."""
    from qifu.policies.selectors import match_policies

    today = timezone.localdate()
    stamp = enterprise.updated_at.timestamp() if enterprise.updated_at else 0
    key = f"space:matches:{enterprise.pk}:{stamp}:{today.isoformat()}"
    data: dict[str, Any] | None = cache.get(key)
    if data is not None:
        return data
    matches = match_policies(profile=enterprise, today=today)
    data = {
        "count": len(matches.eligible),
        "near_count": len(matches.near_misses),
        "top": [
            {
                "code": m.policy.code,
                "title": m.policy.title,
                "reasons": [r["text"] for r in m.reasons if r.get("met")][:3],
            }
            for m in matches.eligible[:5]
        ],
    }
    cache.set(key, data, MATCHES_CACHE_SECONDS)
    return data


@register_card
def policies_panel(enterprise: Enterprise, user: Any) -> SpaceCard:
    """为您匹配的政策: the policies the enterprise qualifies for, with the reasons."""
    data = policy_matches_summary(enterprise)
    for item in data["top"]:
        item["url"] = reverse("policies:detail", args=[item["code"]])
    return SpaceCard(
        key="policies",
        title="为您匹配的政策",
        template="workspace/_card_policies.html",
        context=data,
        order=60,
        link=("全部匹配政策", reverse("policies:matches"))
        if is_own_space(user, enterprise)
        else None,
        summary=(("匹配政策", str(data["count"])),),
    )


@register_card
def appeals_panel(enterprise: Enterprise, user: Any) -> SpaceCard:
    """企业诉求: open and closed appeals and the latest ones."""
    counts = Appeal.objects.filter(enterprise=enterprise).aggregate(
        open=Count("pk", filter=~Q(stage=Stage.CLOSED)),
        closed=Count("pk", filter=Q(stage=Stage.CLOSED)),
    )
    own = is_own_space(user, enterprise)
    return SpaceCard(
        key="appeals",
        title="企业诉求",
        template="workspace/_card_appeals.html",
        context={
            "entries": appeal_entries(enterprise, user, None, 3),
            "open": counts["open"],
            "closed": counts["closed"],
            "new_url": reverse("appeals:new") if own else "",
        },
        order=70,
        link=("全部诉求", reverse("appeals:mine")) if own else None,
        summary=(("办理中诉求", str(counts["open"])),),
    )


@register_card
def declarations_panel(enterprise: Enterprise, user: Any) -> SpaceCard | None:
    """项目申报: the enterprise's applications to calls."""
    entries = declaration_entries(enterprise, user, None, 3)
    own = is_own_space(user, enterprise)
    return SpaceCard(
        key="declarations",
        title="项目申报",
        template="workspace/_card_timeline_list.html",
        context={
            "entries": entries,
            "empty": "还没有申报过项目。",
            "empty_link": ("查看可申报项目", reverse("declarations:calls")) if own else None,
        },
        order=80,
        link=("我的申报", reverse("declarations:mine")) if own else None,
    )


@register_card
def recent_panel(enterprise: Enterprise, user: Any) -> SpaceCard:
    """最近动态: the newest entries of the timeline.

    Notifications stay out of this card: most echo an entry shown here already, and the inbox
    (with its badge in the header) lists them; the full timeline includes them.
    """
    kinds = {key for key, _label in timeline_kinds()} - {"notification"}
    entries, _cursor = timeline(enterprise, user, limit=settings.SPACE_RECENT_ENTRIES, kinds=kinds)
    url = (
        reverse("workspace:timeline")
        if is_own_space(user, enterprise)
        else reverse("workspace:enterprise_timeline", args=[enterprise.credit_code])
    )
    return SpaceCard(
        key="recent",
        title="最近动态",
        template="workspace/_card_timeline_list.html",
        context={"entries": entries, "empty": "暂无记录。", "empty_link": None},
        order=95,
        link=("完整时间线", url),
    )
