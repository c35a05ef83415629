"""Helpers shared by the notification tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def office_hours(time_machine: Any) -> datetime:
    """Thursday 2026-11-26 10:00 in Rongcheng: SMS may go out."""
    moment = local(2026, 11, 26, 10, 0)
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def reader(enterprise_user: Any) -> Any:
    """The enterprise user, reachable by SMS and by e-mail."""
    enterprise_user.email = "qiye@example.com"
    enterprise_user.save(update_fields=["email"])
    return enterprise_user
