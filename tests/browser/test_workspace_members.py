"""Invite → join in a real browser at phone width: the enterprise administrator invites a person
by phone, the invitee opens the SMS link, proves the phone and signs up, and the administrator
sees the new member."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from qifu.accounts.models import User
from qifu.accounts.tests.helpers import last_sms_code
from qifu.notifications.sms import MemoryBackend
from tests.browser.conftest import PHONE, assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

INVITEE = "13712345678"
INVITEE_PASSWORD = "Haiyang#2026"


def _join_path(phone: str) -> str:
    """The join link's path in the invitation SMS (the host in it is the configured site's)."""
    for message in reversed(MemoryBackend.outbox):
        if message.phone == phone:
            match = re.search(r"(/workspace/join/[^/\s]+/)", message.text)
            if match:
                return match.group(1)
    raise AssertionError(f"no invitation SMS to {phone}")


def test_an_invited_person_joins_by_the_sms_link_and_the_administrator_sees_them(
    phone_page: Page, browser: Any, live_server: Any, enterprise: Any, enterprise_user: Any
) -> None:
    admin = phone_page
    # The administrator invites a member by phone.
    login(admin, live_server, enterprise_user.username, PASSWORD)
    admin.goto(f"{live_server.url}/workspace/members/")
    assert_accessible(admin)
    invite = admin.locator("form", has=admin.get_by_role("button", name="发送邀请"))
    invite.get_by_label("姓名").fill("曲丽娜")
    invite.get_by_label("手机号").fill(INVITEE)
    invite.get_by_label("角色").select_option("enterprise_member")
    invite.get_by_role("button", name="发送邀请").click()
    expect(admin.get_by_text("已向137****5678发送邀请短信")).to_be_visible()
    join_url = live_server.url + _join_path(INVITEE)

    # The invitee, in another browser, opens the link from the SMS.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    context.set_default_timeout(10_000)
    invitee = context.new_page()
    invitee.goto(join_url)
    expect(invitee.get_by_role("heading", name="加入企业")).to_be_visible()
    expect(invitee.get_by_text(enterprise.name).first).to_be_visible()
    assert_accessible(invitee)
    invitee.get_by_role("button", name="获取验证码").click()
    expect(invitee.get_by_text("验证码已发送至137****5678")).to_be_visible()
    invitee.get_by_label("短信验证码").fill(last_sms_code(INVITEE))
    invitee.get_by_label("用户名").fill("qulina")
    invitee.get_by_label("密码", exact=True).fill(INVITEE_PASSWORD)
    invitee.get_by_label("确认密码").fill(INVITEE_PASSWORD)
    invitee.get_by_role("button", name="注册并加入").click()

    # Signed in, in the enterprise's space.
    expect(invitee.get_by_text(f"欢迎加入{enterprise.name}！")).to_be_visible()
    assert invitee.url.rstrip("/").endswith("/workspace")
    context.close()
    member = User.objects.get(username="qulina")
    assert member.enterprise_id == enterprise.pk and member.phone == INVITEE
    assert not member.is_enterprise_admin

    # The administrator reloads the list and finds the new member; the invitation is gone.
    admin.reload()
    members = admin.get_by_role("region", name=re.compile("成员账号"))
    expect(members.get_by_role("row").filter(has_text="qulina")).to_contain_text("曲丽娜")
    expect(admin.get_by_role("heading", name="成员账号（2）")).to_be_visible()
    expect(admin.get_by_text("暂无待接受的邀请。")).to_be_visible()
