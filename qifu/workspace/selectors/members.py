"""Reads of an enterprise's members and invitations, scoped to the enterprise."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from qifu.accounts.models import Enterprise, Role, RoleGrant, User
from qifu.workspace.models import MemberInvitation


def own_enterprise_or_404(user: Any) -> Enterprise:
    """The signed-in user's own enterprise; anyone without one (staff, providers) gets a 404."""
    enterprise_id = getattr(user, "enterprise_id", None)
    enterprise = (
        Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
        if enterprise_id
        else None
    )
    if enterprise is None:
        raise Http404("未找到，或您无权查看。")
    return enterprise


def members_of(enterprise: Enterprise) -> QuerySet[User]:
    """The enterprise's accounts, active first, each annotated with `is_admin` (one query)."""
    admin = RoleGrant.objects.filter(user=OuterRef("pk"), role=Role.ENTERPRISE_ADMIN)
    return (
        User.objects.filter(enterprise=enterprise)
        .annotate(is_admin=Exists(admin))
        .order_by("-is_active", "-is_admin", "real_name", "username")
    )


def member_get_or_404(enterprise: Enterprise, member_id: int) -> User:
    """One member of the enterprise; another enterprise's account is a 404."""
    member = members_of(enterprise).filter(pk=member_id).first()
    if member is None:
        raise Http404("未找到，或您无权查看。")
    return member


def invitations_pending(enterprise: Enterprise) -> QuerySet[MemberInvitation]:
    """Invitations neither accepted nor revoked (expired ones included, marked by the page)."""
    return (
        MemberInvitation.objects.filter(
            enterprise=enterprise, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_get_or_404(enterprise: Enterprise, invitation_id: int) -> MemberInvitation:
    """One invitation of the enterprise; another enterprise's is a 404."""
    invitation = (
        MemberInvitation.objects.select_related("enterprise")
        .filter(enterprise=enterprise, pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404("未找到，或您无权查看。")
    return invitation


def members_count(enterprise: Enterprise) -> int:
    """How many active accounts the enterprise has."""
    return User.objects.filter(enterprise=enterprise, is_active=True).count()


def invitation_is_expired(invitation: MemberInvitation) -> bool:
    return invitation.expires_at <= timezone.now()
