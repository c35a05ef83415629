"""Invitations as the member tests send them: the invitee, the page post, the SMS link."""

from __future__ import annotations

import re

from django.urls import reverse

from qifu.accounts.models import Role
from qifu.notifications.sms import MemoryBackend

INVITEE = "13712345678"
PASSWORD = "Haiyang#2026"


def invite(client, phone=INVITEE, role=Role.ENTERPRISE_MEMBER, name="曲丽娜"):
    return client.post(
        reverse("workspace:member_invite"), {"real_name": name, "phone": phone, "role": role}
    )


def join_link(phone=INVITEE) -> str:
    for message in reversed(MemoryBackend.outbox):
        if message.phone == phone:
            match = re.search(r"(/workspace/join/[^/\s]+/)", message.text)
            if match:
                return match.group(1)
    raise AssertionError(f"no invitation SMS to {phone}")
