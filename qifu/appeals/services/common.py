"""What every module of the appeal services shares: the limits, and the current dispatch round."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from qifu.appeals.models import Appeal, Assignment

# Measures art. 17: unsatisfied with the same department's answer more than 2 times → 督办件.
SUPERVISION_THRESHOLD = 3

CONTACT_WAYS = {"phone": "电话", "visit": "上门", "meeting": "约谈", "online": "线上"}
FOLLOWUP_WAYS = {"phone": "电话回访", "visit": "上门回访"}


def max_extension_working_days() -> int:
    return int(settings.APPEAL_EXTENSION_MAX_WORKING_DAYS)


def current_assignment(appeal: Appeal) -> Assignment | None:
    """The latest dispatch round, or None before the first dispatch."""
    return appeal.assignments.order_by("-round").first()


def send_notifications(code: str, appeal: Appeal, **extra: Any) -> None:
    """The appeal's notification plan for one step, written in the step's own transaction."""
    from qifu.appeals import notifications

    notifications.send(code, appeal=appeal, **extra)
