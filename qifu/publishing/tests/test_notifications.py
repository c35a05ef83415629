"""Reviewers hear when something awaits them; authors hear the outcome."""

from __future__ import annotations

from typing import Any

from qifu.notifications.models import Notification
from qifu.publishing.services import publication_return, publication_submit


def test_submitting_tells_the_section_reviewers_and_not_the_author(
    make_notice: Any,
    department_admin: Any,
    platform_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    notice = make_notice()
    with django_capture_on_commit_callbacks(execute=True):
        publication_submit(item=notice, actor=department_admin)
    assert Notification.objects.filter(user=platform_staff, title="内容待审核").exists()
    assert not Notification.objects.filter(user=department_admin).exists()


def test_returning_tells_the_author_the_reason(
    make_notice: Any,
    department_admin: Any,
    platform_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    notice = make_notice()
    publication_submit(item=notice, actor=department_admin)
    with django_capture_on_commit_callbacks(execute=True):
        publication_return(item=notice, actor=platform_staff, reason="请补充活动时间和地点")
    message = Notification.objects.get(user=department_admin, title="内容被退回")
    assert "请补充活动时间和地点" in message.body
