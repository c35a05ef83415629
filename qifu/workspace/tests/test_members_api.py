"""Members of an enterprise through the API: list, invite, role, removal and their refusals."""

from __future__ import annotations

import json

import pytest

from qifu.accounts.models import Role, User
from qifu.workspace.models import MemberInvitation
from qifu.workspace.services.members import (
    member_invite,
    member_remove,
)
from qifu.workspace.tests.invites import INVITEE, invite, join_link

pytestmark = pytest.mark.django_db

API = "/api/v1/workspace/members"


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_api_lists_members_and_invitations(api_client_for, enterprise_user, member):
    member_invite(
        enterprise=member.enterprise,
        actor=enterprise_user,
        real_name="曲丽娜",
        phone=INVITEE,
        role=Role.ENTERPRISE_MEMBER,
    )
    data = api_client_for(member).get(API).json()
    assert {m["username"] for m in data["members"]} == {"qiye_t", "yuxm"}
    assert {m["phone"] for m in data["members"]} == {"139****0001", "139****0099"}
    assert data["invitations"][0]["phone"] == "137****5678"


def test_api_refuses_anonymous_callers(client):
    assert client.get(API).status_code == 401


def test_api_invite_by_the_admin(
    api_client_for, enterprise_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(
            api_client_for(enterprise_user), API, {"real_name": "曲丽娜", "phone": INVITEE}
        )
    assert response.status_code == 201
    assert response.json()["role"] == Role.ENTERPRISE_MEMBER
    assert join_link()
    again = _post(api_client_for(enterprise_user), API, {"real_name": "曲丽娜", "phone": INVITEE})
    assert again.status_code == 400 and "phone" in again.json()["detail"]
    assert MemberInvitation.objects.count() == 1


def test_api_invite_by_an_ordinary_member_is_forbidden(api_client_for, member):
    response = _post(api_client_for(member), API, {"real_name": "曲丽娜", "phone": INVITEE})
    assert response.status_code == 403
    assert not MemberInvitation.objects.exists()


def test_api_role_change_and_its_refusals(
    api_client_for, enterprise_user, member, other_enterprise_user
):
    response = _post(
        api_client_for(enterprise_user), f"{API}/{member.pk}/role", {"role": "enterprise_admin"}
    )
    assert response.status_code == 200 and response.json()["role"] == "enterprise_admin"
    other = _post(
        api_client_for(other_enterprise_user),
        f"{API}/{member.pk}/role",
        {"role": "enterprise_member"},
    )
    assert other.status_code == 404


def test_api_removal_and_its_refusals(
    api_client_for, enterprise_user, member, other_enterprise_user
):
    assert api_client_for(other_enterprise_user).delete(f"{API}/{member.pk}").status_code == 404
    assert api_client_for(member).delete(f"{API}/{enterprise_user.pk}").status_code == 403
    assert api_client_for(enterprise_user).delete(f"{API}/{enterprise_user.pk}").status_code == 400
    assert api_client_for(enterprise_user).delete(f"{API}/{member.pk}").status_code == 204
    member.refresh_from_db()
    assert not member.is_active


def test_api_revokes_an_invitation(api_client_for, enterprise_user):
    invitation = member_invite(
        enterprise=enterprise_user.enterprise,
        actor=enterprise_user,
        real_name="曲丽娜",
        phone=INVITEE,
        role=Role.ENTERPRISE_MEMBER,
    )
    response = api_client_for(enterprise_user).delete(f"{API}/invitations/{invitation.pk}")
    assert response.status_code == 204
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_a_removed_members_phone_is_refused_with_a_clear_message(
    client_for, enterprise_user, member
):
    member_remove(enterprise=member.enterprise, actor=enterprise_user, member=member)
    response = invite(client_for(enterprise_user), phone=member.phone)
    assert "已移除" in " ".join(response.context["invite_form"].errors["phone"])


def test_api_role_change_by_an_ordinary_member_is_forbidden(
    api_client_for, enterprise_user, member
):
    response = _post(
        api_client_for(member), f"{API}/{member.pk}/role", {"role": "enterprise_admin"}
    )
    assert response.status_code == 403
    assert User.objects.get(pk=member.pk).role_set == {Role.ENTERPRISE_MEMBER}
