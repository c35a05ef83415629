"""专属空间 API: the enterprise's members and invitations, and its profile.

Two routers: `router` at /api/v1/workspace/members and `profile_router` at
/api/v1/workspace/profile. Changing a key field of the profile is two steps: `POST
…/profile/verification` texts a code to the administrator's phone, then `PATCH …/profile` with
the new values and that `code`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from qifu.accounts.models import Enterprise, Role, User
from qifu.core.masking import mask_id_number, mask_phone
from qifu.workspace.models import MemberInvitation
from qifu.workspace.selectors import members as selectors
from qifu.workspace.services import members as services
from qifu.workspace.services import profile as profile_services

router = Router(tags=["专属空间"])
profile_router = Router(tags=["专属空间"])


class MemberOut(Schema):
    id: int
    username: str
    real_name: str
    phone: str  # masked
    role: str
    role_label: str
    is_active: bool
    last_login: dt.datetime | None


class InvitationOut(Schema):
    id: int
    real_name: str
    phone: str  # masked
    role: str
    role_label: str
    invited_by: str
    created_at: dt.datetime
    expires_at: dt.datetime
    is_expired: bool


class MembersOut(Schema):
    members: list[MemberOut]
    invitations: list[InvitationOut]


class InviteIn(Schema):
    real_name: str
    phone: str
    role: str = Role.ENTERPRISE_MEMBER.value


class RoleIn(Schema):
    role: str


def _member(user: User) -> dict[str, Any]:
    is_admin = getattr(user, "is_admin", None)
    if is_admin is None:
        is_admin = Role.ENTERPRISE_ADMIN in user.role_set
    role = Role.ENTERPRISE_ADMIN if is_admin else Role.ENTERPRISE_MEMBER
    return {
        "id": user.pk,
        "username": user.username,
        "real_name": user.real_name,
        "phone": mask_phone(user.phone),
        "role": role.value,
        "role_label": role.label,
        "is_active": user.is_active,
        "last_login": user.last_login,
    }


def _invitation(invitation: MemberInvitation) -> dict[str, Any]:
    return {
        "id": invitation.pk,
        "real_name": invitation.real_name,
        "phone": mask_phone(invitation.phone),
        "role": invitation.role,
        "role_label": invitation.get_role_display(),
        "invited_by": str(invitation.invited_by or ""),
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "is_expired": invitation.expires_at <= timezone.now(),
    }


@router.get("", response=MembersOut, summary="本企业成员与待接受的邀请")
def list_members(request: HttpRequest) -> Any:
    enterprise = selectors.own_enterprise_or_404(request.user)
    return {
        "members": [_member(m) for m in selectors.members_of(enterprise)],
        "invitations": [_invitation(i) for i in selectors.invitations_pending(enterprise)],
    }


@router.post("", response={201: InvitationOut}, summary="按手机号邀请成员（企业管理员）")
def invite(request: HttpRequest, payload: InviteIn) -> Any:
    enterprise = selectors.own_enterprise_or_404(request.user)
    invitation = services.member_invite(
        enterprise=enterprise,
        actor=request.user,  # type: ignore[arg-type]
        real_name=payload.real_name,
        phone=payload.phone,
        role=payload.role,
    )
    return Status(201, _invitation(invitation))


@router.post(
    "/invitations/{invitation_id}/resend", response=InvitationOut, summary="重新发送邀请短信"
)
def resend_invitation(request: HttpRequest, invitation_id: int) -> Any:
    enterprise = selectors.own_enterprise_or_404(request.user)
    invitation = selectors.invitation_get_or_404(enterprise, invitation_id)
    invitation = services.invitation_resend(
        enterprise=enterprise,
        actor=request.user,  # type: ignore[arg-type]
        invitation=invitation,
    )
    return _invitation(invitation)


@router.delete("/invitations/{invitation_id}", response={204: None}, summary="撤销邀请")
def revoke_invitation(request: HttpRequest, invitation_id: int) -> Any:
    enterprise = selectors.own_enterprise_or_404(request.user)
    invitation = selectors.invitation_get_or_404(enterprise, invitation_id)
    services.invitation_revoke(
        enterprise=enterprise,
        actor=request.user,  # type: ignore[arg-type]
        invitation=invitation,
    )
    return Status(204, None)


@router.post("/{member_id}/role", response=MemberOut, summary="调整成员角色（企业管理员）")
def set_role(request: HttpRequest, member_id: int, payload: RoleIn) -> Any:
    enterprise = selectors.own_enterprise_or_404(request.user)
    member = selectors.member_get_or_404(enterprise, member_id)
    services.member_role_set(
        enterprise=enterprise,
        actor=request.user,  # type: ignore[arg-type]
        member=member,
        role=payload.role,
    )
    return _member(selectors.member_get_or_404(enterprise, member_id))


@router.delete("/{member_id}", response={204: None}, summary="移除成员：停用账号（企业管理员）")
def remove(request: HttpRequest, member_id: int) -> Any:
    enterprise = selectors.own_enterprise_or_404(request.user)
    member = selectors.member_get_or_404(enterprise, member_id)
    services.member_remove(
        enterprise=enterprise,
        actor=request.user,  # type: ignore[arg-type]
        member=member,
    )
    return Status(204, None)


# --- Profile ---------------------------------------------------------------------------------


class ProfileOut(Schema):
    credit_code: str
    name: str
    industry: str
    scale: str
    region: str | None
    registered_capital: Decimal
    founded_on: dt.date | None
    qualifications: list[str]
    address: str
    employees: int
    revenue: Decimal
    rd_ratio: Decimal
    legal_representative: str
    legal_representative_id_number: str  # masked
    contact_name: str
    contact_phone: str  # masked
    key_fields: list[str]


class ProfileIn(Schema):
    address: str | None = None
    employees: int | None = None
    revenue: Decimal | None = None
    rd_ratio: Decimal | None = None
    contact_name: str | None = None
    legal_representative: str | None = None
    legal_representative_id_number: str | None = None
    contact_phone: str | None = None
    code: str = ""


class SentOut(Schema):
    detail: str


def _profile(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "industry": enterprise.industry,
        "scale": enterprise.scale,
        "region": enterprise.region.name if enterprise.region else None,
        "registered_capital": enterprise.registered_capital,
        "founded_on": enterprise.founded_on,
        "qualifications": enterprise.qualifications,
        "address": enterprise.address,
        "employees": enterprise.employees,
        "revenue": enterprise.revenue,
        "rd_ratio": enterprise.rd_ratio,
        "legal_representative": enterprise.legal_representative,
        "legal_representative_id_number": mask_id_number(enterprise.legal_representative_id_number),
        "contact_name": enterprise.contact_name,
        "contact_phone": mask_phone(enterprise.contact_phone),
        "key_fields": list(profile_services.KEY_FIELDS),
    }


@profile_router.get("", response=ProfileOut, summary="企业信息（身份证号、电话脱敏）")
def get_profile(request: HttpRequest) -> Any:
    return _profile(selectors.own_enterprise_or_404(request.user))


@profile_router.post(
    "/verification", response=SentOut, summary="向企业管理员手机发送修改关键信息的验证码"
)
def send_verification(request: HttpRequest) -> Any:
    enterprise = selectors.own_enterprise_or_404(request.user)
    masked = profile_services.profile_verification_send(
        enterprise=enterprise,
        actor=request.user,  # type: ignore[arg-type]
    )
    return {"detail": f"已向{masked}发送验证码，10分钟内有效。"}


@profile_router.patch("", response=ProfileOut, summary="修改企业信息（关键信息需附 code）")
def update_profile(request: HttpRequest, payload: ProfileIn) -> Any:
    """All or nothing: when a key field changes, nothing is saved without the right code."""
    enterprise = selectors.own_enterprise_or_404(request.user)
    actor: User = request.user  # type: ignore[assignment]
    services.check_enterprise_admin(actor, enterprise)
    changes = payload.model_dump(exclude_unset=True, exclude={"code"})
    changes = {k: v for k, v in changes.items() if v is not None}
    changed = profile_services.enterprise_profile_check(enterprise=enterprise, changes=changes)
    key = {k: v for k, v in changed.items() if k in profile_services.KEY_FIELDS}
    if key:
        if not payload.code:
            raise ValidationError(
                {
                    "code": "修改法定代表人、法定代表人身份证号或联系电话需短信验证码："
                    "请先调用 POST /api/v1/workspace/profile/verification 获取。"
                }
            )
        profile_services.enterprise_key_fields_update(
            enterprise=enterprise, actor=actor, changes=key, code=payload.code
        )
    ordinary = {k: v for k, v in changed.items() if k not in profile_services.KEY_FIELDS}
    if ordinary:
        profile_services.enterprise_profile_update(
            enterprise=enterprise, actor=actor, changes=ordinary
        )
    enterprise.refresh_from_db()
    return _profile(enterprise)
