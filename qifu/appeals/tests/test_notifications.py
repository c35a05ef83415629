"""Notification texts name what happened even when the appeal moved on before they were sent."""

from __future__ import annotations

from typing import Any

from qifu.appeals import services
from qifu.notifications.models import Notification


def test_a_dispatch_returned_before_commit_still_names_the_department(
    make_appeal: Any,
    platform_staff: Any,
    department: Any,
    department_admin: Any,
    enterprise_user: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    appeal = make_appeal()
    # Sent after commit, the messages read the appeal as it is then: already returned.
    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_dispatch(appeal=appeal, user=platform_staff, department=department)
        services.appeal_return(appeal=appeal, user=department_admin, reason="应由住建局承办")
    told = Notification.objects.get(user=enterprise_user, title="诉求已派发")
    assert f"已派发至{department.name}办理" in told.body
    assert "None" not in told.body
    assert Notification.objects.filter(user=department_admin, title="新派单").exists()
