"""Exclusive-space panels and timeline sources: members."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from qifu.portal.space import SpaceCard, register_card
from qifu.workspace.models import MemberInvitation
from qifu.workspace.selectors.members import members_count


@register_card
def enterprise_panel(enterprise: Any, user: Any) -> SpaceCard | None:
    """企业信息: who the enterprise is, how many accounts it has, links to profile and members."""
    if enterprise is None:
        return None
    active = members_count(enterprise)
    invitations = MemberInvitation.objects.filter(
        enterprise=enterprise,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).count()
    own = getattr(user, "enterprise_id", None) == enterprise.pk
    links = (
        [("企业信息", reverse("workspace:profile")), ("成员管理", reverse("workspace:members"))]
        if own
        else []
    )
    town = enterprise.region.name if enterprise.region_id else ""
    return SpaceCard(
        key="enterprise",
        title="企业信息",
        template="workspace/_card_members.html",
        context={
            "members_count": active,
            "invitations_count": invitations,
            "town": town,
            "links": links,
        },
        order=20,
        link=("企业详情", reverse("workspace:profile")) if own else None,
        summary=(("成员账号", str(active)),),
    )
