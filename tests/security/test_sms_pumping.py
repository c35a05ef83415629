"""SMS pumping: one limiter for every SMS, with per-phone, per-address and global hourly caps.

Issue 17: 我要留言's send-code had only a per-phone limit; 25 phones from one address were all sent.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qifu.notifications.services import sms_send_now
from qifu.notifications.sms import MemoryBackend

pytestmark = pytest.mark.django_db


def _send_code(client: Client, phone: str) -> Any:
    return client.post(
        "/messages/",
        {"action": "send_code", "phone": phone, "name": "张三", "title": "t", "content": "c"},
    )


def test_one_address_cannot_pump_codes_to_many_phones(settings: Any) -> None:
    settings.SMS_LIMIT_PER_ADDRESS_HOUR = 3
    client = Client(REMOTE_ADDR="203.0.113.5")
    for i in range(5):
        _send_code(client, f"1390000{i:04d}")
    assert len(MemoryBackend.outbox) == 3
    refused = _send_code(client, "13900009999")
    assert "上限" in refused.content.decode()
    # Another address still gets its code.
    _send_code(Client(REMOTE_ADDR="198.51.100.7"), "13900008888")
    assert len(MemoryBackend.outbox) == 4


def test_one_phone_is_capped_across_purposes_and_addresses(
    settings: Any, time_machine: Any
) -> None:
    from qifu.accounts.models import PhoneCodePurpose
    from qifu.accounts.services import phone_code_send

    settings.SMS_LIMIT_PER_PHONE_HOUR = 2
    time_machine.move_to("2026-11-26 10:00:00+08:00")
    phone_code_send(phone="13900000001", purpose=PhoneCodePurpose.VERIFY)
    phone_code_send(phone="13900000001", purpose=PhoneCodePurpose.REGISTER)
    with pytest.raises(Exception, match="上限"):
        phone_code_send(phone="13900000001", purpose=PhoneCodePurpose.RESET_PASSWORD)
    assert len(MemoryBackend.outbox) == 2


def test_codes_nobody_receives_count_the_same(settings: Any) -> None:
    """An unregistered phone must not be told apart by the caps either."""
    from qifu.accounts.models import PhoneCodePurpose
    from qifu.accounts.services import phone_code_send

    settings.SMS_LIMIT_PER_PHONE_HOUR = 1
    phone_code_send(phone="13900000002", purpose=PhoneCodePurpose.VERIFY, deliver=False)
    with pytest.raises(Exception, match="上限"):
        phone_code_send(phone="13900000002", purpose=PhoneCodePurpose.REGISTER, deliver=False)


def test_a_global_cap_stops_every_sender(settings: Any) -> None:
    settings.SMS_LIMIT_GLOBAL_HOUR = 2
    assert sms_send_now(phone="13900000011", text="a")
    assert sms_send_now(phone="13900000012", text="b")
    assert not sms_send_now(phone="13900000013", text="c")
    assert [m.phone for m in MemoryBackend.outbox] == ["13900000011", "13900000012"]
