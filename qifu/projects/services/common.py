"""What the project services share: the enterprise's users, today, dates that must be real."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from qifu.accounts.models import User
from qifu.projects.models import Project


def today() -> dt.date:
    return timezone.localdate()


def enterprise_users(project: Project) -> Any:
    return User.objects.filter(enterprise_id=project.enterprise_id, is_active=True)


def check_date(on: dt.date, field: str, *, not_before: dt.date | None = None) -> None:
    if on > today():
        raise ValidationError({field: "实际日期不能晚于今天。"})
    if not_before and on < not_before:
        raise ValidationError({field: f"不能早于开始日期 {not_before:%Y-%m-%d}。"})
