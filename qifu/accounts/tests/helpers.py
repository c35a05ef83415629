"""Small helpers shared by the accounts tests."""

from __future__ import annotations

import re

from qifu.notifications.sms import MemoryBackend


def last_sms_code(phone: str) -> str:
    """The code in the last SMS sent to this phone."""
    for message in reversed(MemoryBackend.outbox):
        if message.phone == phone:
            match = re.search(r"验证码为(\d{6})", message.text)
            assert match is not None
            return match.group(1)
    raise AssertionError(f"no SMS was sent to {phone}")
