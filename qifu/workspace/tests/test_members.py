"""Members of an enterprise on the pages: invitations by SMS link, joining, roles and removal."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qifu.accounts.models import ApiToken, Role, User
from qifu.accounts.services import api_token_issue, user_create
from qifu.accounts.tests.helpers import last_sms_code
from qifu.core.models import AuditEvent
from qifu.notifications.sms import MemoryBackend
from qifu.portal.space import space_cards
from qifu.workspace.models import MemberInvitation
from qifu.workspace.services.members import (
    invitation_accept,
    member_invite,
    member_remove,
    member_role_set,
)
from qifu.workspace.tests.invites import INVITEE, PASSWORD, invite, join_link

pytestmark = pytest.mark.django_db

# --- Who sees what ---------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("workspace:members"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_list_shows_members_masked_with_role_state_and_last_login(
    client_for, enterprise_user, member
):
    seen = dt.datetime(2026, 3, 5, 10, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    User.objects.filter(pk=member.pk).update(last_login=seen)
    response = client_for(enterprise_user).get(reverse("workspace:members"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "于晓梅" in page and "139****0099" in page and "13900000099" not in page
    assert "企业管理员" in page and "企业用户" in page
    assert "2026-03-05 10:20" in page
    assert reverse("workspace:member_remove", args=[member.pk]) in page


def test_an_ordinary_member_sees_the_list_but_no_actions(client_for, enterprise_user, member):
    page = client_for(member).get(reverse("workspace:members")).content.decode()
    assert "qiye_t" in page
    assert reverse("workspace:member_invite") not in page
    assert reverse("workspace:member_remove", args=[enterprise_user.pk]) not in page


def test_an_ordinary_member_is_refused_every_action(client_for, enterprise_user, member):
    invitation = member_invite(
        enterprise=enterprise_user.enterprise,
        actor=enterprise_user,
        real_name="曲丽娜",
        phone=INVITEE,
        role=Role.ENTERPRISE_MEMBER,
    )
    client = client_for(member)
    posts = [
        (reverse("workspace:member_invite"), {"real_name": "X", "phone": "13700000000"}),
        (reverse("workspace:member_role", args=[member.pk]), {"role": Role.ENTERPRISE_ADMIN}),
        (reverse("workspace:member_remove", args=[enterprise_user.pk]), {}),
        (reverse("workspace:invitation_resend", args=[invitation.pk]), {}),
        (reverse("workspace:invitation_revoke", args=[invitation.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    member.refresh_from_db()
    enterprise_user.refresh_from_db()
    assert member.role_set == {Role.ENTERPRISE_MEMBER} and enterprise_user.is_active


def test_another_enterprise_cannot_touch_our_members_or_invitations(
    client_for, enterprise_user, member, other_enterprise_user
):
    invitation = member_invite(
        enterprise=enterprise_user.enterprise,
        actor=enterprise_user,
        real_name="曲丽娜",
        phone=INVITEE,
        role=Role.ENTERPRISE_MEMBER,
    )
    client = client_for(other_enterprise_user)
    page = client.get(reverse("workspace:members")).content.decode()
    assert "于晓梅" not in page and "曲丽娜" not in page
    for url in [
        reverse("workspace:member_role", args=[member.pk]),
        reverse("workspace:member_remove", args=[member.pk]),
        reverse("workspace:invitation_resend", args=[invitation.pk]),
        reverse("workspace:invitation_revoke", args=[invitation.pk]),
    ]:
        assert client.post(url, {"role": Role.ENTERPRISE_ADMIN}).status_code == 404, url
    member.refresh_from_db()
    assert member.is_active and member.role_set == {Role.ENTERPRISE_MEMBER}


def test_government_staff_have_no_members_page(client_for, platform_staff):
    assert client_for(platform_staff).get(reverse("workspace:members")).status_code == 404


def test_the_list_costs_the_same_queries_however_many_members(client_for, enterprise_user):
    client = client_for(enterprise_user)
    client.get(reverse("workspace:members"))  # warm the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("workspace:members")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(5):
        user_create(
            username=f"staff{n}",
            password=None,
            phone=f"1370000000{n}",
            enterprise=enterprise_user.enterprise,
            roles=[Role.ENTERPRISE_MEMBER],
        )
        member_invite(
            enterprise=enterprise_user.enterprise,
            actor=enterprise_user,
            real_name=f"受邀{n}",
            phone=f"1360000000{n}",
            role=Role.ENTERPRISE_MEMBER,
        )
    assert count() == few


# --- Inviting --------------------------------------------------------------------------------


def test_inviting_stores_only_a_hash_and_texts_a_link_valid_for_seven_days(
    client_for, enterprise_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(enterprise_user), role=Role.ENTERPRISE_ADMIN)
    assert response.status_code == 302
    invitation = MemberInvitation.objects.get()
    assert invitation.role == Role.ENTERPRISE_ADMIN and invitation.invited_by == enterprise_user
    link = join_link()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert abs(invitation.expires_at - timezone.now() - dt.timedelta(days=7)) < dt.timedelta(
        minutes=1
    )
    assert enterprise_user.enterprise.name in MemoryBackend.outbox[-1].text
    event = AuditEvent.objects.get(action="workspace.member.invite")
    assert event.data["phone"] == "137****5678"


def test_a_double_submitted_invitation_makes_one_row(client_for, enterprise_user):
    client = client_for(enterprise_user)
    invite(client)
    response = invite(client)
    assert response.status_code == 200
    assert "已向该手机号发出邀请" in " ".join(response.context["invite_form"].errors["phone"])
    assert MemberInvitation.objects.count() == 1


def test_a_phone_already_registered_elsewhere_cannot_be_invited(
    client_for, enterprise_user, other_enterprise_user
):
    other_enterprise_user.phone = INVITEE
    other_enterprise_user.save()
    response = invite(client_for(enterprise_user))
    assert "已绑定平台上的其他账号" in " ".join(response.context["invite_form"].errors["phone"])
    assert not MemberInvitation.objects.exists()


def test_a_phone_of_our_own_member_cannot_be_invited(client_for, enterprise_user, member):
    response = invite(client_for(enterprise_user), phone=member.phone)
    assert "已是本企业" in " ".join(response.context["invite_form"].errors["phone"])


def test_a_bad_phone_is_shown_next_to_the_field(client_for, enterprise_user):
    response = invite(client_for(enterprise_user), phone="12345")
    assert response.context["invite_form"].errors["phone"]
    assert not MemberInvitation.objects.exists()


def test_an_expired_invitation_gives_way_to_a_new_one(enterprise_user):
    kwargs = {
        "enterprise": enterprise_user.enterprise,
        "actor": enterprise_user,
        "real_name": "曲丽娜",
        "phone": INVITEE,
        "role": Role.ENTERPRISE_MEMBER,
    }
    old = member_invite(**kwargs)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        new = member_invite(**kwargs)
    old.refresh_from_db()
    assert old.revoked_at is not None and new.pk != old.pk
    assert MemberInvitation.objects.filter(revoked_at__isnull=True).get() == new


def test_resending_gives_a_new_link_and_the_old_one_stops_working(
    client_for, enterprise_user, invited, django_capture_on_commit_callbacks
):
    client = client_for(enterprise_user)
    invitation = MemberInvitation.objects.get()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("workspace:invitation_resend", args=[invitation.pk]))
        assert response.status_code == 302
        new_link = join_link()
        assert new_link != invited
        assert Client().get(invited).status_code == 404
        assert Client().get(new_link).status_code == 200
    assert AuditEvent.objects.filter(action="workspace.member.invite_resend").exists()


def test_resending_twice_within_a_minute_is_refused(client_for, enterprise_user, invited):
    invitation = MemberInvitation.objects.get()
    response = client_for(enterprise_user).post(
        reverse("workspace:invitation_resend", args=[invitation.pk]), follow=True
    )
    assert "1分钟后再试" in response.content.decode()


def test_a_revoked_invitation_link_no_longer_works(client_for, enterprise_user, invited):
    invitation = MemberInvitation.objects.get()
    response = client_for(enterprise_user).post(
        reverse("workspace:invitation_revoke", args=[invitation.pk])
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = Client().get(invited)
    assert response.status_code == 410 and "撤销" in response.content.decode()
    assert AuditEvent.objects.filter(action="workspace.member.invite_revoke").exists()
    # A second revoke (double submit) changes nothing and says so.
    again = client_for(enterprise_user).post(
        reverse("workspace:invitation_revoke", args=[invitation.pk]), follow=True
    )
    assert "已撤销" in again.content.decode()


# --- Joining ---------------------------------------------------------------------------------


def test_the_invitee_joins_end_to_end_and_is_signed_in(invited, enterprise):
    client = Client()
    page = client.get(invited)
    assert page.status_code == 200
    assert enterprise.name in page.content.decode() and "137****5678" in page.content.decode()
    token = invited.rstrip("/").rsplit("/", 1)[-1]
    assert client.post(reverse("workspace:join_code", args=[token])).status_code == 302
    response = client.post(
        invited,
        {
            "code": last_sms_code(INVITEE),
            "username": "qulina",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")
    user = User.objects.get(username="qulina")
    assert user.enterprise == enterprise and user.phone == INVITEE and user.real_name == "曲丽娜"
    assert user.role_set == {Role.ENTERPRISE_MEMBER}
    invitation = MemberInvitation.objects.get()
    assert invitation.accepted_user == user and invitation.accepted_at is not None
    assert AuditEvent.objects.filter(action="workspace.member.join", actor=user).exists()
    assert client.get(reverse("workspace:members")).status_code == 200  # signed in
    assert Client().get(invited).status_code == 410  # used up


def _join(link, code, username="qulina", password=PASSWORD):
    return Client().post(
        link, {"code": code, "username": username, "password1": password, "password2": password}
    )


def _send_join_code(link):
    token = link.rstrip("/").rsplit("/", 1)[-1]
    Client().post(reverse("workspace:join_code", args=[token]))
    return last_sms_code(INVITEE)


def test_a_wrong_code_makes_no_account(invited):
    right = _send_join_code(invited)
    response = _join(invited, "000000" if right != "000000" else "111111")
    assert response.status_code == 200
    assert "验证码不正确" in " ".join(response.context["form"].errors["code"])
    assert not User.objects.filter(username="qulina").exists()


def test_an_expired_code_makes_no_account(invited):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        code = _send_join_code(invited)
        traveller.shift(dt.timedelta(minutes=11))
        response = _join(invited, code)
    assert "验证码已失效" in " ".join(response.context["form"].errors["code"])
    assert not User.objects.filter(username="qulina").exists()


def test_a_weak_password_is_shown_next_to_the_password(invited):
    code = _send_join_code(invited)
    response = _join(invited, code, password="12345678")
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(username="qulina").exists()


def test_a_phone_registered_meanwhile_by_another_account_is_refused(invited, other_enterprise_user):
    code = _send_join_code(invited)
    other_enterprise_user.phone = INVITEE
    other_enterprise_user.save()
    response = _join(invited, code)
    assert "已绑定平台上的其他账号" in " ".join(response.context["form"].non_field_errors())
    assert not User.objects.filter(username="qulina").exists()


def test_an_expired_invitation_cannot_be_used(invited):
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, minutes=1)):
        response = Client().get(invited)
    assert response.status_code == 410 and "过期" in response.content.decode()


def test_an_unknown_link_is_a_404():
    assert Client().get(reverse("workspace:join", args=["nonsense"])).status_code == 404


def test_the_accept_service_refuses_a_taken_username(invited, member):
    code = _send_join_code(invited)
    token = invited.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(ValidationError) as info:
        invitation_accept(raw_token=token, code=code, username="YUXM", password=PASSWORD)
    assert "username" in info.value.message_dict


# --- Roles -----------------------------------------------------------------------------------


def test_the_admin_promotes_a_member_and_it_is_audited(client_for, enterprise_user, member):
    response = client_for(enterprise_user).post(
        reverse("workspace:member_role", args=[member.pk]), {"role": Role.ENTERPRISE_ADMIN}
    )
    assert response.status_code == 302
    member = User.objects.get(pk=member.pk)
    assert member.role_set == {Role.ENTERPRISE_ADMIN}
    assert AuditEvent.objects.filter(
        action="workspace.member.role", object_id=str(member.pk)
    ).exists()


def test_the_last_active_admin_cannot_be_demoted(client_for, enterprise_user):
    response = client_for(enterprise_user).post(
        reverse("workspace:member_role", args=[enterprise_user.pk]),
        {"role": Role.ENTERPRISE_MEMBER},
        follow=True,
    )
    assert "唯一的企业管理员" in response.content.decode()
    assert User.objects.get(pk=enterprise_user.pk).role_set == {Role.ENTERPRISE_ADMIN}


def test_an_admin_may_step_down_when_another_admin_remains(enterprise_user, member):
    member_role_set(
        enterprise=member.enterprise, actor=enterprise_user, member=member, role="enterprise_admin"
    )
    member_role_set(
        enterprise=member.enterprise,
        actor=enterprise_user,
        member=enterprise_user,
        role=Role.ENTERPRISE_MEMBER,
    )
    assert User.objects.get(pk=enterprise_user.pk).role_set == {Role.ENTERPRISE_MEMBER}


def test_an_unknown_role_is_refused(enterprise_user, member):
    with pytest.raises(ValidationError):
        member_role_set(
            enterprise=member.enterprise,
            actor=enterprise_user,
            member=member,
            role=Role.PLATFORM_STAFF,
        )


# --- Removal ---------------------------------------------------------------------------------


def test_removing_a_member_disables_the_account_and_ends_its_tokens(
    client_for, enterprise_user, member
):
    api_token_issue(user=member)
    response = client_for(enterprise_user).post(
        reverse("workspace:member_remove", args=[member.pk])
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert User.objects.filter(pk=member.pk).exists()  # never deleted
    assert not ApiToken.objects.filter(user=member, revoked_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="workspace.member.remove").exists()
    assert AuditEvent.objects.filter(action="accounts.user.disable").exists()


def test_an_admin_cannot_remove_themself(client_for, enterprise_user, member):
    response = client_for(enterprise_user).post(
        reverse("workspace:member_remove", args=[enterprise_user.pk]), follow=True
    )
    assert "不能移除自己" in response.content.decode()
    enterprise_user.refresh_from_db()
    assert enterprise_user.is_active


def test_the_removal_service_refuses_a_member_of_another_enterprise(
    enterprise_user, other_enterprise_user
):
    with pytest.raises(PermissionDenied):
        member_remove(
            enterprise=enterprise_user.enterprise,
            actor=enterprise_user,
            member=other_enterprise_user,
        )


def test_removing_a_removed_member_again_changes_nothing(enterprise_user, member):
    member_remove(enterprise=member.enterprise, actor=enterprise_user, member=member)
    member_remove(enterprise=member.enterprise, actor=enterprise_user, member=member)
    assert AuditEvent.objects.filter(action="workspace.member.remove").count() == 1


# --- Panel -----------------------------------------------------------------------------------


def test_the_space_panel_shows_the_enterprise_and_links_for_its_own_users(
    enterprise_user, member, commissioner
):
    enterprise = enterprise_user.enterprise
    panel = next(p for p in space_cards(enterprise, enterprise_user) if p.key == "enterprise")
    assert panel.title == "企业信息" and panel.order == 20
    assert panel.context["members_count"] == 2
    assert (reverse("workspace:members")) in dict(panel.context["links"]).values()
    seen_by_staff = next(p for p in space_cards(enterprise, commissioner) if p.key == "enterprise")
    assert seen_by_staff.context["links"] == []


def test_the_space_home_renders_the_panel(client_for, enterprise_user):
    page = client_for(enterprise_user).get(reverse("workspace:home")).content.decode()
    assert "企业信息" in page and enterprise_user.enterprise.credit_code in page


def test_only_government_staff_invite_the_first_admin_and_only_once(
    enterprise_user, platform_staff, other_enterprise
):
    from qifu.workspace.services.members import first_admin_invite

    with pytest.raises(PermissionDenied):
        first_admin_invite(
            enterprise=other_enterprise, actor=enterprise_user, real_name="曲丽娜", phone=INVITEE
        )
    # An enterprise that already has users manages its own members.
    with pytest.raises(ValidationError):
        first_admin_invite(
            enterprise=enterprise_user.enterprise,
            actor=platform_staff,
            real_name="曲丽娜",
            phone=INVITEE,
        )
    User.objects.filter(enterprise=other_enterprise).delete()
    invitation = first_admin_invite(
        enterprise=other_enterprise, actor=platform_staff, real_name="曲丽娜", phone=INVITEE
    )
    assert invitation.role == Role.ENTERPRISE_ADMIN
    assert MemberInvitation.objects.filter(enterprise=other_enterprise).count() == 1
